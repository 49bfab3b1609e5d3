"""pylti1p3's tool-config app (platforms and tool keys), as this project installs it."""

from pylti1p3.contrib.django.lti1p3_tool_config.apps import PyLTI1p3ToolConfig


class LtiToolConfig(PyLTI1p3ToolConfig):
    # Its tables were made with AutoField ids: without this, DEFAULT_AUTO_FIELD would ask for a migration
    # inside the installed package.
    default_auto_field = "django.db.models.AutoField"
    verbose_name = "LTI 1.3"
