"""Simulated learners for Locust (run by loadtest/run.py; see its docstring).

Each learner reads the home page and a comparison, then plays quiz rounds
through the plain HTML forms (question -> answer -> feedback -> next ... ->
summary -> new round), as a browser without JavaScript does. Every step is
decided by the page the server shows. An answer POST counts as accepted only
when the server redirects to the feedback (302); the count is written to
LOADTEST_ACCEPTED_FILE when the test stops, for the accounting against the
database.
"""

import os
import random
import re
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, events, task

SWITCH_COMPARISON = 0.2  # chance, after a round, of going back home and reading another comparison
accepted = {"answers": 0}


class PageParser(HTMLParser):
    """The few things a learner reads from a page: links, form actions, input values, radio choices."""

    def __init__(self):
        super().__init__()
        self.links, self.actions, self.inputs, self.radios = [], [], {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and attrs.get("action"):
            self.actions.append(attrs["action"])
        elif tag == "input" and attrs.get("name"):
            if attrs.get("type") == "radio":
                self.radios.append(attrs.get("value"))
            else:
                self.inputs.setdefault(attrs["name"], attrs.get("value"))


def parse(body):
    parser = PageParser()
    parser.feed(body)
    return parser


class Learner(HttpUser):
    wait_time = between(0.0, 0.05)

    def on_start(self):
        self.rng = random.Random()
        home = self.client.get("/", name="home")
        self.slugs = sorted(
            {m.group(1) for href in parse(home.text).links if (m := re.fullmatch(r"/compare/([\w-]+)/", href))}
        )

    def post(self, path, form, name, referer):
        """A form POST that must redirect (302); returns the Location path, or None after a failure."""
        with self.client.post(
            path,
            data=form,
            name=name,
            allow_redirects=False,
            catch_response=True,
            headers={"Referer": self.host + referer},
        ) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code}: expected a redirect")
                return None
            return response.headers["Location"]

    @task
    def step(self):
        """One step of the learner's path, two or three requests: short, so that a stopping run never cuts one."""
        if not self.slugs:
            return
        if getattr(self, "slug", None) is None:
            self.slug = self.rng.choice(self.slugs)
            self.client.get(f"/compare/{self.slug}/", name="comparison")
        quiz = f"/compare/{self.slug}/quiz/"
        page = parse(self.client.get(quiz, name="quiz").text)  # a finished round redirects to its summary
        token = page.inputs.get("csrfmiddlewaretoken", "")
        if quiz + "answer/" in page.actions:  # a question
            choice = self.rng.choice(page.radios)
            form = {"csrfmiddlewaretoken": token, "scenario": page.inputs.get("scenario"), "choice": choice}
            location = self.post(quiz + "answer/", form, "answer", quiz)
            if location is not None:
                accepted["answers"] += 1
                self.client.get(location, name="feedback")
        elif quiz + "next/" in page.actions:  # feedback
            form = {"csrfmiddlewaretoken": token, "position": page.inputs.get("position")}
            location = self.post(quiz + "next/", form, "next", quiz)
            if location and location.endswith("/summary/"):
                self.client.get(location, name="summary")
        elif quiz + "new/" in page.actions:  # the summary
            if self.rng.random() < SWITCH_COMPARISON:
                self.slug = None  # another comparison next time
                return
            self.post(quiz + "new/", {"csrfmiddlewaretoken": token}, "new round", quiz + "summary/")
        else:
            events.request.fire(
                request_type="PAGE",
                name="quiz",
                response_time=0,
                response_length=0,
                exception=ValueError("neither question, feedback nor summary"),
            )


@events.test_stop.add_listener
def write_accepted(**_):
    path = os.environ.get("LOADTEST_ACCEPTED_FILE")
    if path:
        Path(path).write_text(str(accepted["answers"]))
