"""GIFT, Moodle's plain-text question format: one multiple-choice question per item.

    ::title::[html]<p>case</p><p><strong>Which is it?</strong></p>{
    =Alliance
    ~Coalition#why not a coalition
    ####the explanation
    }

GIFT gives ~ = # { } : a meaning, so each is written with a backslash (and the backslash itself
doubled); a blank line ends a question, so line breaks inside a text are written as \\n, which
Moodle reads back as a line break. Texts are HTML ([html]): our plain text escaped, the
explanation as our sanitised HTML.
"""

import html

from explainer.quiz_bank.items import Item
from explainer.quiz_bank.moodle import category_path, paragraphs

SPECIAL = "~=#{}:"


def escape(text):
    """`text` with GIFT's special characters escaped and its line breaks as \\n: safe in any GIFT position."""
    text = text.replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def question(item: Item):
    text = paragraphs(item.text) + f"<p><strong>{html.escape(item.prompt)}</strong></p>"
    lines = [f"// {escape(item.identifier)}", f"::{escape(item.title)}::[html]{escape(text)}{{"]
    for option in item.options:
        mark = "=" if option.correct else "~"
        feedback = f"#{escape(paragraphs(option.feedback))}" if option.feedback else ""
        lines.append(f"{mark}{escape(html.escape(option.text))}{feedback}")
    lines.append(f"####{escape(item.explanation_html.strip())}")
    lines.append("}")
    return "\n".join(lines)


def as_gift(comparison, items):
    """The items as a GIFT file (text): the comparison's category, then one question per item."""
    header = [f"// Explainer: {comparison.title}", f"$CATEGORY: {category_path(comparison.title)}"]
    return "\n\n".join(["\n".join(header), *(question(item) for item in items)]) + "\n"
