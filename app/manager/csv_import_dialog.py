"""The CSV import dialog: preview what every row does (new, update, unchanged) or what is
wrong with it, then import all or nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.manager.catalogue_csv import (
    NEW,
    UNCHANGED,
    UPDATE,
    FieldChange,
    ImportPlan,
    ImportRow,
    apply_import,
    plan_import,
)
from app.manager.forms import error_text
from app.manager.table import Column, EntryTableModel
from app.qt.formatting import format_money, format_number
from app.qt.i18n import language, tr
from crdt_models.documents.catalogue import CatalogueDocument
from crdt_models.errors import ValidationError

__all__ = ["CsvImportDialog", "field_name"]


def field_name(field: str) -> str:
    """A CSV column's name as the owner reads it."""
    names = {
        "name": lambda: tr("Name"),
        "price": lambda: tr("Price"),
        "vat": lambda: tr("VAT"),
        "barcode": lambda: tr("Barcode"),
        "category": lambda: tr("Category"),
        "color": lambda: tr("Colour"),
        "description": lambda: tr("Description"),
    }
    name = names.get(field)
    return name() if name is not None else field


class CsvImportDialog(QDialog):
    """Shows ``path``'s rows and errors; Import is enabled only when every row is valid."""

    def __init__(
        self, catalogue: CatalogueDocument, path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.setWindowTitle(tr("Import products"))
        self.resize(1000, 640)
        self.imported: list[str] = []
        self.plan: ImportPlan = plan_import(path.read_text(encoding="utf-8-sig"), catalogue)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.errors = QListWidget()
        self.preview_model = EntryTableModel(
            self._columns(), entry_id=lambda r: str(r.line), search_text=lambda _r: "", parent=self
        )
        self.preview_model.reset(self.plan.rows)
        self.preview = QTableView()
        self.preview.setModel(self.preview_model)
        self.preview_model.configure_view(self.preview, stretch=7)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText(tr("Import"))
        self.import_button.setEnabled(self.plan.ok)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(path.name))
        layout.addWidget(self.summary)
        layout.addWidget(self.errors, 1)
        layout.addWidget(self.preview, 3)
        layout.addWidget(self.buttons)
        self._show_plan()

    def _columns(self) -> list[Column]:
        def cell(field: str) -> Column:
            return Column(
                lambda: field_name(field),
                lambda r: r.values.get(field, ""),
                lambda r: r.values.get(field, ""),
            )

        return [
            Column(lambda: tr("Line"), lambda r: str(r.line), lambda r: r.line, numeric=True),
            *(cell(f) for f in ("name", "price", "vat", "barcode", "category", "color")),
            Column(lambda: tr("Result"), self.row_result, self.row_result),
        ]

    def row_result(self, row: ImportRow) -> str:
        """What the row does, as the preview shows it: its problems, or new / update / unchanged."""
        errors = self.plan.errors_on(row.line)
        if errors:
            return " ".join(f"⚠ {self._describe(e)}" for e in errors)
        planned = self.plan.plan_of(row.line)
        if planned is None or planned.action == NEW:
            return tr("New")
        if planned.action == UNCHANGED:
            return tr("Unchanged")
        changes = ", ".join(self._change_text(c) for c in planned.changes)
        return tr("Update ({changes})", changes=changes)

    def _change_text(self, change: FieldChange) -> str:
        if change.field == "description":  # too long to show old and new
            return field_name(change.field).lower()
        return (
            f"{field_name(change.field).lower()} {self._value_text(change.field, change.old)}"
            f" → {self._value_text(change.field, change.new)}"
        )

    def _value_text(self, field: str, value: object) -> str:
        if field == "price" and isinstance(value, int):
            return format_money(value, language())
        if field == "vat":
            rate = self.catalogue.settings.vat_rates_by_id().get(str(value))
            return rate.name if rate is not None else str(value)
        if field == "category":
            category = self.catalogue.categories_by_id().get(str(value)) if value else None
            return category.name if category is not None else tr("none")
        return str(value) if value else tr("none")

    def _describe(self, error: ValidationError) -> str:
        return f"{field_name(error.field)}: {error_text(error)}"

    def error_lines(self) -> list[str]:
        """The error list as shown: one entry per problem, by file line."""
        return [self.errors.item(i).text() for i in range(self.errors.count())]

    def _show_plan(self) -> None:
        lang = language()
        self.errors.clear()
        for problem in self.plan.errors:
            self.errors.addItem(
                tr("Line {line}", line=problem.line) + " — " + self._describe(problem.error)
            )
        self.errors.setVisible(bool(self.plan.errors))
        bad_lines = len({e.line for e in self.plan.errors})
        if self.plan.errors:
            self.summary.setText(
                "⚠ "
                + tr(
                    "{bad} of {total} rows have problems: nothing will be imported. "
                    "Fix the file and open it again.",
                    bad=format_number(bad_lines, lang),
                    total=format_number(len(self.plan.rows), lang),
                )
            )
        elif not self.plan.rows:
            self.summary.setText(tr("The file holds no products."))
        elif not self.plan.ok:
            self.summary.setText(tr("Every product in the file is already as it says."))
        else:
            self.summary.setText(
                tr(
                    "Ready to import: {new} new, {updated} updated, {unchanged} unchanged.",
                    new=format_number(self.plan.count(NEW), lang),
                    updated=format_number(self.plan.count(UPDATE), lang),
                    unchanged=format_number(self.plan.count(UNCHANGED), lang),
                )
            )

    def run_import(self) -> None:
        """Create and update every row's product in one transaction (only offered when
        every row is valid)."""
        if not self.plan.ok:
            return
        self.import_button.setEnabled(False)
        try:
            self.imported = apply_import(self.plan, self.catalogue)
        except ValidationError as exc:
            self.summary.setText("⚠ " + self._describe(exc))
            return
        self.accept()
