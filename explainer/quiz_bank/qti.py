"""IMS QTI 2.1: a content package (zip) with imsmanifest.xml and one assessmentItem per item.

Each item is a single-choice choiceInteraction (shuffled) whose correct response is the right
concept. Its response processing scores 1 or 0 and sets two outcomes the feedback hangs on:
FEEDBACK takes the chosen option's identifier (a modalFeedback per wrong option: what the site
shows a learner who chose it), and EXPLANATION is set on any answer (the explanation, shown to
all). The explanation is our sanitised HTML, re-read into XHTML elements of the QTI namespace.
"""

import io
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser

from explainer.quiz_bank.items import Item

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
ITEM_TYPE = "imsqti_item_xmlv2p1"

# The HTML our Markdown may hold (explainer.markup.ALLOWED_TAGS) is all in QTI's XHTML subset.
VOID = {"br", "hr"}
KEPT_ATTRIBUTES = {"a": {"href"}, "th": {"scope"}}


def q(tag):
    """A QTI element's name: unqualified, under the xmlns its root declares (ElementTree's default_namespace
    refuses unqualified attribute names, which QTI's are)."""
    return tag


class XhtmlBuilder(HTMLParser):
    """Sanitised HTML to elements in the QTI namespace, appended to `parent` (text and tails kept)."""

    def __init__(self, parent):
        super().__init__(convert_charrefs=True)
        self.stack = [parent]
        self.last = None  # the element whose tail the next text extends, or None for the parent's text

    def handle_starttag(self, tag, attrs):
        kept = {name: value for name, value in attrs if name in KEPT_ATTRIBUTES.get(tag, ()) and value is not None}
        element = ET.SubElement(self.stack[-1], q(tag), kept)
        self.last = None
        if tag in VOID:
            self.last = element
        else:
            self.stack.append(element)

    def handle_endtag(self, tag):
        if tag in VOID or len(self.stack) == 1:
            return
        self.last = self.stack.pop()

    def handle_data(self, data):
        if self.last is not None:
            self.last.tail = (self.last.tail or "") + data
        else:
            parent = self.stack[-1]
            parent.text = (parent.text or "") + data


def add_xhtml(parent, markup):
    builder = XhtmlBuilder(parent)
    builder.feed(markup)
    builder.close()


def add_paragraphs(parent, text):
    for part in (part.strip() for part in text.split("\n\n")):
        if part:
            ET.SubElement(parent, q("p")).text = part


def set_outcome(parent, identifier, value_element):
    outcome = ET.SubElement(parent, q("setOutcomeValue"), {"identifier": identifier})
    outcome.append(value_element)


def base_value(base_type, value):
    element = ET.Element(q("baseValue"), {"baseType": base_type})
    element.text = value
    return element


def variable(identifier):
    return ET.Element(q("variable"), {"identifier": identifier})


def response_processing(parent):
    processing = ET.SubElement(parent, q("responseProcessing"))
    condition = ET.SubElement(processing, q("responseCondition"))
    when = ET.SubElement(condition, q("responseIf"))
    match = ET.SubElement(when, q("match"))
    match.append(variable("RESPONSE"))
    ET.SubElement(match, q("correct"), {"identifier": "RESPONSE"})
    set_outcome(when, "SCORE", base_value("float", "1"))
    otherwise = ET.SubElement(condition, q("responseElse"))
    set_outcome(otherwise, "SCORE", base_value("float", "0"))
    set_outcome(processing, "FEEDBACK", variable("RESPONSE"))
    answered = ET.SubElement(ET.SubElement(processing, q("responseCondition")), q("responseIf"))
    ET.SubElement(ET.SubElement(answered, q("not")), q("isNull")).append(variable("RESPONSE"))
    set_outcome(answered, "EXPLANATION", base_value("identifier", "EXPLANATION"))


def assessment_item(item: Item):
    root = ET.Element(
        q("assessmentItem"),
        {
            "xmlns": QTI,
            f"{{{XSI}}}schemaLocation": f"{QTI} {QTI_XSD}",
            "identifier": item.identifier,
            "title": item.title,
            "adaptive": "false",
            "timeDependent": "false",
        },
    )
    response = ET.SubElement(
        root, q("responseDeclaration"), {"identifier": "RESPONSE", "cardinality": "single", "baseType": "identifier"}
    )
    ET.SubElement(ET.SubElement(response, q("correctResponse")), q("value")).text = item.correct.identifier
    score = ET.SubElement(
        root, q("outcomeDeclaration"), {"identifier": "SCORE", "cardinality": "single", "baseType": "float"}
    )
    ET.SubElement(ET.SubElement(score, q("defaultValue")), q("value")).text = "0"
    for identifier in ("FEEDBACK", "EXPLANATION"):
        ET.SubElement(
            root, q("outcomeDeclaration"), {"identifier": identifier, "cardinality": "single", "baseType": "identifier"}
        )
    body = ET.SubElement(root, q("itemBody"))
    add_paragraphs(body, item.text)
    interaction = ET.SubElement(
        body, q("choiceInteraction"), {"responseIdentifier": "RESPONSE", "shuffle": "true", "maxChoices": "1"}
    )
    ET.SubElement(interaction, q("prompt")).text = item.prompt
    for option in item.options:
        ET.SubElement(interaction, q("simpleChoice"), {"identifier": option.identifier}).text = option.text
    response_processing(root)
    for option in item.options:
        if option.feedback:
            feedback = ET.SubElement(
                root,
                q("modalFeedback"),
                {"outcomeIdentifier": "FEEDBACK", "identifier": option.identifier, "showHide": "show"},
            )
            add_paragraphs(feedback, option.feedback)
    explanation = ET.SubElement(
        root,
        q("modalFeedback"),
        {"outcomeIdentifier": "EXPLANATION", "identifier": "EXPLANATION", "showHide": "show"},
    )
    add_xhtml(explanation, item.explanation_html)
    return root


def item_path(item):
    return f"items/{item.identifier}.xml"


def manifest(comparison, items):
    root = ET.Element(
        "manifest",
        {"xmlns": CP, "identifier": f"MANIFEST-{comparison.slug}", f"{{{XSI}}}schemaLocation": f"{CP} {CP_XSD}"},
    )
    metadata = ET.SubElement(root, "metadata")
    ET.SubElement(metadata, "schema").text = "QTIv2.1 Package"
    ET.SubElement(metadata, "schemaversion").text = "1.0.0"
    ET.SubElement(root, "organizations")
    resources = ET.SubElement(root, "resources")
    for item in items:
        resource = ET.SubElement(
            resources, "resource", {"identifier": f"RES-{item.identifier}", "type": ITEM_TYPE, "href": item_path(item)}
        )
        ET.SubElement(resource, "file", {"href": item_path(item)})
    return root


def to_bytes(element):
    # No ET.indent: it would add whitespace inside the explanation's mixed content.
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def as_qti_zip(comparison, items):
    """The items as a QTI 2.1 content package: the zip's bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", to_bytes(manifest(comparison, items)))
        for item in items:
            archive.writestr(item_path(item), to_bytes(assessment_item(item)))
    return buffer.getvalue()
