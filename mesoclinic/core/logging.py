"""Keep personal data out of logs.

Request lines logged by the development server and by django.request carry the query string,
and the query string carries what staff typed into search boxes (names, CNICs, mobiles).
This filter cuts every "?..." from URLs in a record before any handler formats it.
"""

import logging
import re

_QUERY_STRING = re.compile(r"\?[^\s\"']*")


def redact(text: str) -> str:
    return _QUERY_STRING.sub("?[redacted]", text)


class RedactQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            if isinstance(record.args, tuple):
                record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
            elif isinstance(record.args, dict):
                record.args = {
                    k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
                }
        return True
