"""Moodle XML: one multiple-choice question per item, in a category named after the comparison.

Moodle's "Moodle XML format" import (question bank → Import). Every text is HTML (format="html"),
escaped from our plain text, the explanation as our sanitised HTML: the general feedback, shown
after any answer. Each wrong option's feedback is what the site shows a learner who chose it.
"""

import html
import xml.etree.ElementTree as ET

from explainer.quiz_bank.items import Item


def paragraphs(text):
    """Plain text as HTML paragraphs (blank lines part them), escaped."""
    parts = [part.strip() for part in text.split("\n\n") if part.strip()]
    return "".join(f"<p>{html.escape(part)}</p>" for part in parts)


def text_element(parent, tag, content, format_="html"):
    element = ET.SubElement(parent, tag, {"format": format_} if format_ else {})
    ET.SubElement(element, "text").text = content
    return element


def category_path(title):
    """Moodle's category path for the comparison; a "/" in a name is written "//" (Moodle's own escape)."""
    return "$course$/top/Explainer/" + title.replace("/", "//")


def question(item: Item):
    node = ET.Element("question", {"type": "multichoice"})
    name = ET.SubElement(node, "name")
    ET.SubElement(name, "text").text = item.title
    text_element(node, "questiontext", paragraphs(item.text) + f"<p><strong>{html.escape(item.prompt)}</strong></p>")
    text_element(node, "generalfeedback", item.explanation_html)
    for tag, value in [
        ("defaultgrade", "1"),
        ("penalty", "0"),
        ("hidden", "0"),
        ("idnumber", item.identifier),
        ("single", "true"),
        ("shuffleanswers", "true"),
        ("answernumbering", "none"),
        ("showstandardinstruction", "0"),
    ]:
        ET.SubElement(node, tag).text = value
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        text_element(node, tag, "")
    for option in item.options:
        answer = ET.SubElement(node, "answer", {"fraction": "100" if option.correct else "0", "format": "html"})
        ET.SubElement(answer, "text").text = html.escape(option.text)
        text_element(answer, "feedback", paragraphs(option.feedback))
    return node


def as_moodle_xml(comparison, items):
    """The items as a Moodle XML document (bytes, UTF-8)."""
    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", {"type": "category"})
    text_element(category, "category", category_path(comparison.title), format_=None)
    text_element(category, "info", paragraphs(comparison.lede or ""))
    for item in items:
        quiz.append(question(item))
    ET.indent(quiz)
    return ET.tostring(quiz, encoding="utf-8", xml_declaration=True)
