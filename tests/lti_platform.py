"""A course platform for the LTI tests, built on lti1p3platform: it plays Moodle's part.

`TestPlatform` has its own RSA keys and serves, on 127.0.0.1 from a thread:
  GET  /jwks                      the platform's public keys (the tool verifies launches with them)
  GET  /auth                      the OIDC authorization endpoint: answers the tool's login redirect with an
                                  auto-posting form that carries the signed id_token to the tool's launch URL
  POST /token                     OAuth2 client credentials: checks the tool's signed assertion against the
                                  tool's JWKS, gives an access token
  POST /lineitems/<id>/scores     Assignment and Grade Services: checks the bearer token, keeps the score
  POST /deep-link-return          Deep Linking response: checks the tool's signed JWT, keeps the content items
  GET  /course/<link id>          a course page that shows the tool in an iframe (browser tests; "add": deep linking)
  GET  /gradebook                 the scores received, as a teacher would read them

Tests in Python drive the same steps without a browser: `login_params()`, then the
tool's redirect into `authorize()`, whose form fields the test client posts.
`tamper` changes a launch as an attacker or a broken platform would.
"""

import base64
import html
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import AssignmentsGradesService

from explainer.lti.keys import rsa_pair

LEARNER_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


class PlainRequest(Request):
    """lti1p3platform's request, from the parts of an http.server request."""

    def build_metadata(self, request):
        return request


class PlatformConf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, platform):
        self.platform = platform

    def get_registration_by_params(self, **kwargs):
        platform = self.platform
        registration = (
            Registration()
            .set_iss(platform.issuer)
            .set_client_id(platform.client_id)
            .set_deployment_id(platform.deployment_id)
            .set_oidc_login_url(platform.tool_url + "/lti/login/")
            .set_launch_url(platform.tool_url + "/lti/launch/")
            .set_deeplink_launch_url(platform.tool_url + "/lti/launch/")
            .set_platform_public_key(platform.public_key)
            .set_platform_private_key(platform.private_key)
        )
        if platform.tool_jwks is not None:
            registration.set_tool_key_set(platform.tool_jwks)
        else:
            registration.set_tool_key_set_url(platform.tool_url + "/lti/jwks/")
        return registration


class Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs):
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url):
        return url


class Launch(LTIAdvantageMessageLaunchAbstract):
    tamper = None  # {"claims": {...}, "expires_in": seconds}

    def get_launch_message(self, include_extra_claims=True):
        message = super().get_launch_message(include_extra_claims)
        message.update((self.tamper or {}).get("claims", {}))
        return message

    def render_launch_form(self, launch_data, **kwargs):
        return launch_data


class Grades(AssignmentsGradesService):
    """The score service: lti1p3platform checks the bearer token; the score is kept for the test to read."""

    def __init__(self, request, conf, platform, lineitem_url):
        super().__init__(request, conf, platform.url + "/lineitems", lineitem_url)
        self.platform = platform

    def update_score(self, line_item_id, score):
        self.platform.scores.append({"lineitem": line_item_id, **score})
        return UpdateScoreStatus.SUCCESS

    def find_lineitems(self, *args, **kwargs):
        return {"content": [], "has_next": False, "next": None}

    def find_lineitem(self, line_item_id):
        return {"id": f"{self.platform.url}/lineitems/{line_item_id}"}

    def create_lineitem(self, creation_data):
        return creation_data

    def update_lineitem(self, update_data):
        return update_data

    def delete_lineitem(self, line_item_id):
        return None

    def get_results(self, *args, **kwargs):
        return {"content": [], "has_next": False, "next": None}


class TestPlatform:
    """A registered course platform with one course; see the module docstring."""

    __test__ = False  # not a test class, whatever its name

    def __init__(
        self, tool_url, client_id="explainer-tool", deployment_id="deployment-1", tool_jwks=None, host="127.0.0.1"
    ):
        self.tool_url = tool_url.rstrip("/")
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.tool_jwks = tool_jwks  # None: fetched from the tool's JWKS URL
        self.private_key, self.public_key = rsa_pair()
        self.links = {}  # resource link id -> custom parameters
        self.scores = []
        self.content_items = []
        self.tamper = None
        self.refuse_tokens = False  # a platform that is down for grade services
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        # `host`: how browsers and the tool address it ("localhost" puts it on the live server's site).
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.issuer = self.url
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def conf(self):
        return PlatformConf(platform=self)

    def lineitem_url(self, link_id):
        return f"{self.url}/lineitems/{link_id}"

    def register_with(self, tool_model, key):
        """The tool's registration of this platform (what an administrator types into the site's admin)."""
        return tool_model.objects.create(
            title="Test Moodle",
            issuer=self.issuer,
            client_id=self.client_id,
            auth_login_url=self.url + "/auth",
            auth_token_url=self.url + "/token",
            key_set_url=self.url + "/jwks",
            tool_key=key,
            deployment_ids=json.dumps([self.deployment_id]),
        )

    # The launch, step by step

    def login_params(self, user_id, hint):
        """The query of the login initiation the platform sends the tool (hint: "link:<id>" or "deep-link")."""
        login = Login(None, self.conf())
        login.set_lti_message_hint(hint=hint)
        return dict(parse_qsl(urlsplit(login.initiate_login(user_id)).query))

    def authorize(self, auth_params):
        """The platform's answer to the tool's authorization redirect: {"id_token", "state", "launch_url"}."""
        request = PlainRequest({"method": "GET", "get_data": auth_params, "form_data": {}, "headers": {}})
        launch = Launch(request, self.conf())
        launch.tamper = self.tamper
        if self.tamper and "expires_in" in self.tamper:
            launch.set_id_token_expiration(self.tamper["expires_in"])
        hint = auth_params.get("lti_message_hint", "")
        user = auth_params["login_hint"]
        if hint == "deep-link":
            launch.set_user_data(user, [INSTRUCTOR_ROLE])
            launch.set_dl(self.url + "/deep-link-return", title="Add an activity", accept_types={"ltiResourceLink"})
        else:
            link_id = hint.removeprefix("link:")
            launch.set_user_data(user, [LEARNER_ROLE], full_name="Ada Learner", email_address="ada@example.org")
            launch.set_resource_link_claim(link_id, title="Quiz")
            launch.set_launch_context_claim("course-1", context_title="History 9B")
            launch.set_custom_parameters_claim(self.links.get(link_id, {}))
            launch.set_ags(self.url + "/lineitems", self.lineitem_url(link_id), allow_creating_lineitems=False)
        launch.set_launch_presentation_claim(document_target="iframe")
        return launch.lti_launch()

    def jwks(self):
        return {"keys": self.conf().get_registration().get_jwks()}

    def receive_deep_link(self, form):
        """Check the tool's deep linking response (its signature against the tool's JWKS); keep its items."""
        conf = self.conf()
        conf.get_registration()
        items = conf.validate_deeplinking_resp(form)
        self.content_items.extend(items)
        return items

    # The HTTP side

    def handler(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, body, content_type="application/json"):
                data = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def parts(self):
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                return url.path, dict(parse_qsl(url.query)), body

            def do_GET(self):
                path, query, _ = self.parts()
                if path == "/jwks":
                    return self.reply(200, json.dumps(platform.jwks()))
                if path == "/auth":
                    launch = platform.authorize(query)
                    return self.reply(200, auto_post_page(launch["launch_url"], launch), "text/html; charset=utf-8")
                if path == "/gradebook":
                    rows = "".join(
                        f"<li>{html.escape(s['userId'])}: {s['scoreGiven']:g} / {s['scoreMaximum']:g} "
                        f"({s['activityProgress']}, {s['gradingProgress']})</li>"
                        for s in platform.scores
                    )
                    page = f"<!doctype html><html lang='en'><title>Grades</title><h1>Grades</h1><ul>{rows}</ul></html>"
                    return self.reply(200, page, "text/html; charset=utf-8")
                if path.startswith("/course/"):
                    link_id = path.removeprefix("/course/")
                    hint = "deep-link" if link_id == "add" else f"link:{link_id}"
                    query = urlencode(platform.login_params("learner-7", hint))
                    return self.reply(200, course_page(f"{platform.tool_url}/lti/login/?{query}"), "text/html")
                return self.reply(404, "{}")

            def do_POST(self):
                path, _, body = self.parts()
                form = dict(parse_qsl(body))
                if path == "/token" and platform.refuse_tokens:
                    return self.reply(503, json.dumps({"error": "down for maintenance"}))
                if path == "/token":
                    conf = platform.conf()
                    conf.get_registration()
                    try:
                        return self.reply(200, json.dumps(conf.get_access_token(form)))
                    except Exception as error:  # the platform says no; the tool must cope
                        return self.reply(400, json.dumps({"error": str(error)}))
                if path.startswith("/lineitems/") and path.endswith("/scores"):
                    link_id = path.removeprefix("/lineitems/").removesuffix("/scores")
                    meta = {
                        "method": "POST",
                        "form_data": {},
                        "get_data": {},
                        "headers": {"Authorization": self.headers.get("Authorization", "")},
                        "json": json.loads(body or "null"),
                    }
                    conf = platform.conf()
                    conf.get_registration()
                    grades = Grades(PlainRequest(meta), conf, platform, platform.lineitem_url(link_id))
                    response = grades.handle_resp(grades.handle_update_score, line_item_id=link_id)
                    return self.reply(response.code, json.dumps({"message": response.message}))
                if path == "/deep-link-return":
                    items = platform.receive_deep_link(form)
                    titles = ", ".join(html.escape(item.get("title") or "") for item in items)
                    page = f"<!doctype html><title>Added</title><h1>Added to the course: {titles}</h1>"
                    return self.reply(200, page, "text/html; charset=utf-8")
                return self.reply(404, "{}")

        return Handler


def auto_post_page(action, fields):
    inputs = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(fields[name])}">' for name in ("id_token", "state")
    )
    return (
        "<!doctype html><html lang='en'><title>Launching</title>"
        f"<form id='launch' method='post' action='{html.escape(action)}'>{inputs}"
        "<button type='submit'>Launch</button></form>"
        "<script>document.getElementById('launch').submit()</script></html>"
    )


def course_page(login_url):
    return (
        "<!doctype html><html lang='en'><title>History 9B</title><h1>History 9B</h1>"
        f"<iframe id='tool' title='Quiz' src='{html.escape(login_url)}' width='1000' height='900'></iframe></html>"
    )


def tamper_signature(id_token):
    """The id_token with its payload changed after signing (another learner), its signature kept."""
    header, payload, signature = id_token.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body["sub"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")
    return ".".join([header, forged, signature])
