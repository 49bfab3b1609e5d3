"""A comparison's quiz for a teacher's own quiz bank: Moodle XML, QTI 2.1 (a zip) and GIFT.

`items.quiz_items(comparison)` reads the published scenarios once into plain Items; each format
module writes those (`moodle.as_moodle_xml`, `qti.as_qti_zip`, `gift.as_gift`), and `views`
serves them to teachers and editors. tests/test_quiz_bank.py imports every file back with a
parser and compares it with the scenarios.
"""
