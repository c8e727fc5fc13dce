"""Request parsers: DRF's own, made safe against what they do not catch."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    """DRF's JSON parser, but a body nested deeper than Python's recursion limit (a few
    kilobytes of "[") is a 400 like any malformed JSON: `json` raises RecursionError, which
    DRF does not catch, and it would be a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply.") from None
