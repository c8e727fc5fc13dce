"""The size caps on uploads, enforced while the body streams in rather than after.

Django's own DATA_UPLOAD_MAX_MEMORY_SIZE covers form fields, not files: an upload of any size
would be read whole (into memory, then a temporary file) before a form could refuse it. Two
caps close that:

- `RequestSizeLimitMiddleware` answers 413 to a body whose Content-Length passes
  `UPLOAD_REQUEST_MAX_BYTES` (the largest file plus room for the form's fields) before a byte of
  it is read. A WSGI request always has a Content-Length (a chunked body without one reads as
  empty), so this is the whole-request cap.
- `CappedUploadHandler`, first in FILE_UPLOAD_HANDLERS, counts each file's bytes as they arrive.
  Past the per-file cap (`UPLOAD_FILE_MAX_BYTES`, by default the photo limit) it closes what the
  handlers after it had written (Django's temporary file is deleted on close), passes them
  nothing more, and hands the form a `RefusedUpload` of the size received, so the form answers
  "larger than 10 MB" in its own words instead of "this field is required".
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import render

from mesoclinic.core.machine_errors import machine_error

MB = 1024 * 1024


def file_cap() -> int:
    """The largest single uploaded file, in bytes."""
    cap = getattr(settings, "UPLOAD_FILE_MAX_BYTES", None)
    return cap or getattr(settings, "PHOTO_MAX_BYTES", 10 * MB)


def request_cap() -> int:
    """The largest request body, in bytes: one file and its form."""
    cap = getattr(settings, "UPLOAD_REQUEST_MAX_BYTES", None)
    return cap or file_cap() + MB


class RefusedUpload(UploadedFile):
    """A file the handler stopped reading: empty, with the size it had reached, so the photo
    check refuses it as too large and nothing of it is kept."""

    refused = True

    def __init__(self, name, content_type, size):
        super().__init__(io.BytesIO(b""), name, content_type, size)


class CappedUploadHandler(FileUploadHandler):
    """Counts each file's bytes as they stream in; past the cap, keeps none of them."""

    def __init__(self, request=None):
        super().__init__(request)
        self.cap = file_cap()
        self.received = 0
        self.refused = False
        self.too_large_request = False
        #: Chunks handed on to the handlers that keep them (memory or a temporary file).
        self.chunks_passed = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # The middleware answers 413 first; this is for a stack without it (a view driven by
        # another entry point): such a body is not read at all.
        self.too_large_request = content_length > request_cap()

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.too_large_request:
            raise StopUpload(connection_reset=True)
        self.received, self.refused = 0, False

    def receive_data_chunk(self, raw_data, start):
        if self.refused:
            return None  # read off the wire by the parser (at most the request cap), kept nowhere
        self.received += len(raw_data)
        if self.received > self.cap:
            self.refused = True
            self._discard_the_others()
            return None
        self.chunks_passed += 1
        return raw_data

    def file_complete(self, file_size):
        if self.refused:
            return RefusedUpload(self.file_name, self.content_type, self.received)
        return None  # the next handler (memory or temporary file) holds the data

    def _discard_the_others(self):
        for handler in getattr(self.request, "upload_handlers", ()):
            if handler is not self and hasattr(handler, "file"):
                handler.file.close()  # a TemporaryUploadedFile is deleted on close


class RequestSizeLimitMiddleware:
    """Answer 413 to a body larger than the cap, judged by its Content-Length, unread."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads a malformed length as an empty body
        if length > request_cap():
            return too_large(request)
        return self.get_response(request)


def too_large(request):
    from django.utils.translation import gettext as _

    limit = max(1, file_cap() // MB)
    message = _("The upload is too large: send a file of at most %(mb)s MB.") % {"mb": limit}
    answer = machine_error(request, message, status=413, code="too-costly")
    if answer is not None:
        return answer
    return render(request, "413.html", {"message": message}, status=413)
