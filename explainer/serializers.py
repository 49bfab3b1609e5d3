"""A JSON serializer that keeps datetimes to the microsecond.

Django's JSON serializer cuts times to milliseconds, so a snapshot written,
restored and written again would not be identical. Snapshots use this one
(registered as "json-exact" in settings.SERIALIZATION_MODULES).
"""

import datetime

from django.core.serializers.json import Deserializer as Deserializer
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            value = o.isoformat()
            return value[:-6] + "Z" if value.endswith("+00:00") else value
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder
