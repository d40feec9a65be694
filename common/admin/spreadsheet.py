"""The spreadsheet admin base: the import page's checks, the streamed temporary file, formula-safe formats."""

from __future__ import annotations

import logging
from typing import IO, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import BINARY_FORMATS, Format
from import_export.forms import ExportForm, ImportForm
from import_export.resources import Resource
from import_export.signals import post_export
from import_export.tmp_storages import TempFolderStorage

from common.admin.export import export_rows
from common.exports import csv_response, xlsx_response
from common.spreadsheet_guard.refusals import SpreadsheetRefused
from common.spreadsheet_guard.tables import StoredUpload
from common.spreadsheets import SafeCSV, SafeSemicolonCSV, SafeXLSX
from common.uploads.names import clean_filename

logger = logging.getLogger(__name__)


class NewlinePreservingTempStorage(TempFolderStorage):
    """The upload's temporary file, written chunk by chunk and handed to our formats by path.

    The stock storage joins the upload into one bytes object to write it and reads it back whole, so a 25 MB
    file costs 50 MB or more (a str of four bytes a character for text with one emoji). Our formats read
    the file on disk themselves (`StoredUpload`), as bytes, without newline translation: universal-newline
    mode would turn a carriage return inside a quoted CSV cell into a line feed.
    """

    display_name = ""  # the uploader's file name, known only while the upload is being stored

    def save_chunks(self, upload: UploadedFile) -> None:
        with self._open(mode="wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        self.display_name = clean_filename(upload.name or "")

    def read(self) -> StoredUpload:  # type: ignore[override]
        # The confirmation step rebuilds the storage from the file's name alone, so the uploader's name is
        # gone there; a refusal at that step (the file changed on disk) names it generically.
        return StoredUpload(path=self.get_full_path(), name=self.display_name or gettext("uploaded file"))

    def _open(self, mode: str = "r") -> IO[Any]:
        if self.name and "b" not in mode:
            return open(self.get_full_path(), mode, encoding=self.encoding, newline="")  # noqa: PTH123
        return super()._open(mode)


def column_problem(headers: list[str], resource: Resource) -> str:
    """A message naming the expected columns when `headers` cannot be imported by `resource`; "" when they can.

    Unknown and repeated headers are refused, and so are missing key columns (import_id_fields): without them
    no row can be matched. Other columns may be left out (their values are then left as they are).
    """
    expected = [field.column_name for field in resource.get_user_visible_fields()]
    keys = [resource.fields[name].column_name for name in resource.get_import_id_fields()]
    present = [header for header in headers if header]
    unknown = [header for header in present if header not in expected]
    repeated = list(dict.fromkeys(header for header in present if present.count(header) > 1))
    missing = [key for key in keys if key not in present]
    if not (unknown or repeated or missing):
        return ""
    parts = [
        gettext("The header row does not match this import; its columns are: %(columns)s.")
        % {"columns": ", ".join(expected)}
    ]
    if missing:
        parts.append(gettext("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        parts.append(gettext("Unknown columns (check the spelling): %(columns)s.") % {"columns": ", ".join(unknown)})
    if repeated:
        parts.append(gettext("Columns that appear twice: %(columns)s.") % {"columns": ", ".join(repeated)})
    return " ".join(parts)


class SpreadsheetImportForm(ImportForm):
    """The import page's form: the file is inspected and its header row checked before import-export reads it.

    Every refusal is an error on the file field, in the words of the check that refused it.
    """

    def __init__(
        self, formats: list[type[Format]], resources: list[type[Resource]], upload_errors: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(formats, resources, **kwargs)
        self.import_formats = formats
        self.import_resources = resources
        self.upload_errors: list[str] = list(upload_errors)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.upload_errors:
            # The upload handler skipped a file over the size limit: say that, not "this field is required".
            self._errors.pop("import_file", None)
            self.add_error("import_file", self.upload_errors)
            return cleaned
        upload = cleaned.get("import_file")
        choice = cleaned.get("format")
        if upload is None or not choice:
            return cleaned
        file_format = self.import_formats[int(choice)]()
        try:
            headers = file_format.read_headers(upload)  # type: ignore[attr-defined]
        except ValidationError as error:
            self.add_error("import_file", error)
            return cleaned
        resource = self.import_resources[int(cleaned.get("resource") or 0)]()
        problem = column_problem(headers, resource)
        if problem:
            self.add_error("import_file", problem)
        return cleaned


class SpreadsheetAdminMixin:
    """Import/export settings every spreadsheet admin shares (mix in before ImportExportModelAdmin)."""

    tmp_storage_class = NewlinePreservingTempStorage
    import_form_class = SpreadsheetImportForm
    # Always every column: the export is the import template, so a file with columns left out (its natural
    # key, say) could not come back in.
    export_form_class = ExportForm
    # Row errors show their message and the row's values, never a traceback; the template shows the errors of
    # the whole file (base errors) by their message alone too (import-export always adds their traceback).
    import_error_display = ("message", "row")
    import_template_name = "admin/spreadsheet_import.html"

    # Only the formula-safe formats: import format = export format. The ";" CSV is what Excel opens into
    # columns under Indonesian regional settings.
    formats: list[type[Format]] = [SafeXLSX, SafeCSV, SafeSemicolonCSV]

    # Without IMPORT_EXPORT_*_PERMISSION_CODE, import-export lets any staff user import and export any model;
    # tie both to the model's own admin permissions instead.
    def has_import_permission(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)  # type: ignore[attr-defined]

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)  # type: ignore[attr-defined]

    def get_import_form_kwargs(self, request: HttpRequest) -> dict[str, Any]:
        kwargs = super().get_import_form_kwargs(request)  # type: ignore[misc]
        kwargs["upload_errors"] = getattr(request, "upload_errors", [])
        return kwargs

    def write_to_tmp_storage(self, import_file: UploadedFile, input_format: Format) -> TempFolderStorage:
        # Streamed: import-export joins the chunks into one bytes object first.
        storage = NewlinePreservingTempStorage(
            encoding=None if input_format.is_binary() else self.from_encoding,  # type: ignore[attr-defined]
            read_mode=input_format.get_read_mode(),
        )
        storage.save_chunks(import_file)
        return storage

    def add_data_read_fail_error_to_form(self, form: ImportForm, e: Exception) -> None:
        # import-export would show the exception's class name; our formats refuse with a message instead.
        if isinstance(e, ValidationError):
            form.add_error("import_file", e)
            return
        logger.warning("Import file could not be read", exc_info=e)
        form.add_error(
            "import_file",
            _("The file could not be read. Check that it is the chosen format and that it opens in Excel."),
        )

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        # The confirmation reads the stored file again; should it be refused or gone now (changed on disk,
        # confirmed twice), the import page says so instead of a server error.
        opts = self.model._meta  # type: ignore[attr-defined]
        try:
            return super().process_import(request, **kwargs)  # type: ignore[misc]
        except SpreadsheetRefused as error:
            message = " ".join(error.messages)
        except FileNotFoundError:
            message = gettext("The uploaded file is no longer available; upload it again.")
        self.message_user(request, message, level=messages.ERROR)  # type: ignore[attr-defined]
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))

    def get_export_data(self, file_format: Format, request: HttpRequest, queryset: Any, **kwargs: Any) -> Any:
        # Our formats subclass XLSX, and import-export only types cells for the exact stock classes.
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(  # type: ignore[attr-defined]
            request, queryset, force_native_type=isinstance(file_format, tuple(BINARY_FORMATS)), **kwargs
        )
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data

    def _do_file_export(
        self, file_format: Format, request: HttpRequest, queryset: Any, export_form: Any = None
    ) -> HttpResponseBase:
        # import-export 4.4 builds the whole file in memory (a tablib Dataset, then the file's bytes) and pages a
        # prefetching queryset with OFFSET, sorting the table again for every page (307 queries and 13.7 s for
        # 15,000 programmes). The same rows, columns and headers are streamed here instead: `export_rows` iterates
        # the queryset once in chunks, the xlsx is written write-only to a spooled file, the CSV line by line.
        if not self.has_export_permission(request):
            raise PermissionDenied
        resource_class = self.choose_export_resource_class(export_form, request)  # type: ignore[attr-defined]
        resource = resource_class(**self.get_export_resource_kwargs(request))  # type: ignore[attr-defined]
        native = isinstance(file_format, tuple(BINARY_FORMATS))
        headers = resource.get_export_headers()
        rows = export_rows(resource, queryset, force_native_type=native, export_form=export_form)
        filename = self.get_export_filename(request, queryset, file_format)  # type: ignore[attr-defined]
        # The header import-export has always sent (a plain name: ours are ASCII, the model and the date).
        disposition = f'attachment; filename="{filename}"'
        response: HttpResponseBase
        if isinstance(file_format, SafeXLSX):
            response = xlsx_response(filename=filename, headers=headers, rows=rows, disposition=disposition)
            response["Content-Type"] = file_format.get_content_type()
        elif isinstance(file_format, SafeCSV):
            response = csv_response(
                filename=filename,
                headers=headers,
                rows=rows,
                delimiter=file_format.DELIMITER,
                bom=file_format.BOM,
                encoding=self.to_encoding or "utf-8",  # type: ignore[attr-defined]
                content_type=file_format.get_content_type(),
                disposition=disposition,
            )
        else:  # pragma: no cover - `formats` lists only the two above
            return super()._do_file_export(file_format, request, queryset, export_form=export_form)  # type: ignore[misc]
        post_export.send(sender=None, model=self.model)  # type: ignore[attr-defined]
        return response
