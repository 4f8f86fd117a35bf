"""The ``settings`` document: shop identity and receipt text, tills, cashiers,
payment methods and VAT rates; and the owner's rules for the tills
(:class:`TillRules`: cash count mode, purge delay) and the loyalty programme
(:class:`Loyalty`), kept in the ``shop`` root.

Only the owner's devices write it (the relay makes it read-only for tills).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from enum import StrEnum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from pycrdt import Doc

from crdt_models.documents._base import UNSET, Created, DocumentBase, EntryTable, Unset
from crdt_models.documents.changes import ChangeSummary
from crdt_models.documents.origin import LOCAL, Origin
from crdt_models.documents.reading import Raw, read_flag, read_int, read_text
from crdt_models.documents.schema import SETTINGS, EntryKind
from crdt_models.documents.validation import (
    check_email,
    check_int,
    check_name,
    check_phone,
    check_rate_bp,
    check_text,
)
from crdt_models.errors import ValidationError

__all__ = [
    "DEFAULT_TIMEZONE",
    "CashCountMode",
    "Cashier",
    "CashierRole",
    "Loyalty",
    "PaymentKind",
    "PaymentMethod",
    "SettingsDocument",
    "ShopInfo",
    "Till",
    "TillRules",
    "VatRate",
]

#: The shop's time zone until the owner sets one: it decides which day a sale counts in.
DEFAULT_TIMEZONE = "Europe/Paris"

_ARCHIVABLE = {
    EntryKind.TILL: "tills",
    EntryKind.CASHIER: "cashiers",
    EntryKind.PAYMENT_METHOD: "payment_methods",
    EntryKind.VAT_RATE: "vat_rates",
}


class CashierRole(StrEnum):
    """What a cashier may do: owners and managers open the back office."""

    OWNER = "owner"
    MANAGER = "manager"
    CASHIER = "cashier"


class PaymentKind(StrEnum):
    """How a payment method behaves at the till (cash gives change, etc.)."""

    CASH = "cash"
    CARD = "card"
    CHEQUE = "cheque"
    VOUCHER = "voucher"
    OTHER = "other"


class CashCountMode(StrEnum):
    """When the tills ask for a cash count (set by the owner)."""

    OFF = "off"  # never
    CASHIER = "cashier"  # each cashier counts before leaving, then is locked for the day
    TILL = "till"  # the till offers a count before its daily closing (may be skipped)
    TILL_MANDATORY = "till_mandatory"  # no daily closing without a count


@dataclass(frozen=True, slots=True)
class TillRules:
    """The owner's rules for every till: ``cash_count`` and ``purge_days``, the age in
    days after which journal records the relay acknowledged may leave a till."""

    cash_count: CashCountMode = CashCountMode.OFF
    purge_days: int = 90


#: Fewest and most days a till keeps acknowledged records.
PURGE_DAYS_RANGE = (1, 3650)


@dataclass(frozen=True, slots=True)
class Loyalty:
    """The loyalty programme: every ``visits`` visits (sales with the customer attached)
    earn ``reward``, a label the till shows (``"A free coffee"``); 0 visits: no programme."""

    visits: int = 0
    reward: str = ""

    @property
    def active(self) -> bool:
        return self.visits > 0


#: Most visits a reward may ask for.
LOYALTY_VISITS_MAX = 1000


@dataclass(frozen=True, slots=True)
class ShopInfo:
    """The shop's identity, printed on receipts."""

    name: str
    address: str
    phone: str
    email: str
    legal_id: str  # SIRET in France
    vat_number: str
    receipt_header: str
    receipt_footer: str


@dataclass(frozen=True, slots=True)
class Till:
    id: str
    name: str
    number: int
    archived: bool


@dataclass(frozen=True, slots=True)
class Cashier:
    id: str
    name: str
    pin_hash: str
    role: CashierRole
    archived: bool


@dataclass(frozen=True, slots=True)
class PaymentMethod:
    id: str
    name: str
    kind: PaymentKind
    position: int
    archived: bool


@dataclass(frozen=True, slots=True)
class VatRate:
    id: str
    name: str
    rate_bp: int  # 2000 = 20 %
    archived: bool


def _enum_field(raw: Raw, field: str, enum: type[CashierRole] | type[PaymentKind]) -> Any:
    value = read_text(raw, field)
    try:
        return enum(value)
    except ValueError:
        raise ValidationError(field, "field.type", f"{field}: unknown value {value!r}") from None


def _till(entry_id: str, raw: Raw) -> Till:
    return Till(entry_id, read_text(raw, "name"), read_int(raw, "number"), read_flag(raw))


def _cashier(entry_id: str, raw: Raw) -> Cashier:
    return Cashier(
        entry_id,
        read_text(raw, "name"),
        read_text(raw, "pin_hash"),
        _enum_field(raw, "role", CashierRole),
        read_flag(raw),
    )


def _payment_method(entry_id: str, raw: Raw) -> PaymentMethod:
    return PaymentMethod(
        entry_id,
        read_text(raw, "name"),
        _enum_field(raw, "kind", PaymentKind),
        read_int(raw, "position", 0),
        read_flag(raw),
    )


def _vat_rate(entry_id: str, raw: Raw) -> VatRate:
    rate = read_int(raw, "rate_bp")
    if not 0 <= rate <= 10_000:
        raise ValidationError("rate_bp", "vat.range", f"{rate} bp is out of range")
    return VatRate(entry_id, read_text(raw, "name"), rate, read_flag(raw))


def _active_sorted(items: Mapping[str, Any], include_archived: bool, key: Any) -> list[Any]:
    return sorted((x for x in items.values() if include_archived or not x.archived), key=key)


class SettingsDocument(DocumentBase):
    """Typed reads and validated writes of the ``settings`` document.

    Pass the live pycrdt ``Doc`` (or none for a new, empty one). Every write
    takes an ``origin`` (default :data:`LOCAL`), runs in one transaction and
    returns a :class:`ChangeSummary` (``create_*`` return :class:`Created`).
    """

    document_name = SETTINGS

    def __init__(self, doc: Doc[Any] | None = None) -> None:
        super().__init__(doc)
        self._tills = self._table("tills", _till)
        self._cashiers = self._table("cashiers", _cashier)
        self._payment_methods = self._table("payment_methods", _payment_method)
        self._vat_rates = self._table("vat_rates", _vat_rate)

    # -- reads -------------------------------------------------------------

    def shop(self) -> ShopInfo:
        """The shop identity; fields nobody wrote read as ``""``."""
        raw = self._roots["shop"].to_py() or {}
        names = [f.name for f in dataclass_fields(ShopInfo)]
        text = {f: v if isinstance(v := raw.get(f), str) else "" for f in names}
        return ShopInfo(**text)

    def timezone(self) -> str:
        """The shop's IANA time zone (``"Europe/Paris"``): its days and hours of sale.

        :data:`DEFAULT_TIMEZONE` while nobody set one, or if another client
        wrote a name this machine does not know.
        """
        value = (self._roots["shop"].to_py() or {}).get("timezone")
        return value if isinstance(value, str) and value in _zone_names() else DEFAULT_TIMEZONE

    def zone(self) -> ZoneInfo:
        """:meth:`timezone` as a ``tzinfo``."""
        return ZoneInfo(self.timezone())

    def till_rules(self) -> TillRules:
        """The owner's rules for the tills; an unset or unreadable value reads as its default."""
        raw = self._roots["shop"].to_py() or {}
        default = TillRules()
        try:
            mode = CashCountMode(raw.get("cash_count", default.cash_count))
        except ValueError:
            mode = default.cash_count
        try:
            days = read_int(raw, "purge_days", default.purge_days)
        except ValidationError:
            days = default.purge_days
        low, high = PURGE_DAYS_RANGE
        return TillRules(mode, days if low <= days <= high else default.purge_days)

    def loyalty(self) -> Loyalty:
        """The loyalty programme; unset or unreadable values read as no programme."""
        raw = self._roots["shop"].to_py() or {}
        try:
            visits = read_int(raw, "loyalty_visits", 0)
            reward = read_text(raw, "loyalty_reward")
        except ValidationError:
            return Loyalty()
        if not 0 <= visits <= LOYALTY_VISITS_MAX:
            return Loyalty()
        return Loyalty(visits, reward)

    def tills(self, *, include_archived: bool = False) -> list[Till]:
        """Tills by number."""
        return _active_sorted(self._tills.all(), include_archived, lambda t: (t.number, t.id))

    def till(self, till_id: str) -> Till:
        """One till (archived or not); NotFoundError if unknown."""
        return self._tills.get(till_id)

    def cashiers(self, *, include_archived: bool = False) -> list[Cashier]:
        """Cashiers by name."""
        return _active_sorted(self._cashiers.all(), include_archived, lambda c: (c.name, c.id))

    def cashier(self, cashier_id: str) -> Cashier:
        return self._cashiers.get(cashier_id)

    def payment_methods(self, *, include_archived: bool = False) -> list[PaymentMethod]:
        """Payment methods in the order the till shows them."""
        return _active_sorted(
            self._payment_methods.all(), include_archived, lambda p: (p.position, p.name, p.id)
        )

    def payment_method(self, method_id: str) -> PaymentMethod:
        return self._payment_methods.get(method_id)

    def vat_rates(self, *, include_archived: bool = False) -> list[VatRate]:
        """VAT rates, lowest first."""
        return _active_sorted(self._vat_rates.all(), include_archived, lambda v: (v.rate_bp, v.id))

    def vat_rate(self, rate_id: str) -> VatRate:
        """One VAT rate (archived or not); NotFoundError if unknown."""
        return self._vat_rates.get(rate_id)

    def vat_rates_by_id(self) -> Mapping[str, VatRate]:
        """Every readable VAT rate, archived included, by id (for bulk lookups)."""
        return self._vat_rates.all()

    def malformed(self) -> dict[tuple[str, str], ValidationError]:
        """Entries another client wrote that do not parse, by (root, id)."""
        tables: dict[str, EntryTable[Any]] = {
            "tills": self._tills,
            "cashiers": self._cashiers,
            "payment_methods": self._payment_methods,
            "vat_rates": self._vat_rates,
        }
        return {(r, i): e for r, t in tables.items() for i, e in t.malformed().items()}

    # -- writes ------------------------------------------------------------

    def update_shop(
        self,
        *,
        name: str | Unset = UNSET,
        address: str | Unset = UNSET,
        phone: str | Unset = UNSET,
        email: str | Unset = UNSET,
        legal_id: str | Unset = UNSET,
        vat_number: str | Unset = UNSET,
        receipt_header: str | Unset = UNSET,
        receipt_footer: str | Unset = UNSET,
        timezone: str | Unset = UNSET,
        origin: Origin = LOCAL,
    ) -> ChangeSummary:
        """Change the given shop identity fields (the others are left as they are).

        ``timezone`` is an IANA name; sales already counted keep their day.
        """
        given: dict[str, str | Unset] = {
            "address": address,
            "legal_id": legal_id,
            "vat_number": vat_number,
            "receipt_header": receipt_header,
            "receipt_footer": receipt_footer,
        }
        fields: dict[str, object] = {
            k: check_text(v, k) for k, v in given.items() if not isinstance(v, Unset)
        }
        if not isinstance(name, Unset):
            fields["name"] = check_name(name)
        if not isinstance(phone, Unset):
            fields["phone"] = check_phone(phone)
        if not isinstance(email, Unset):
            fields["email"] = check_email(email)
        if not isinstance(timezone, Unset):
            fields["timezone"] = _check_timezone(timezone)
        return self._write_shop(fields, origin)

    def update_till_rules(
        self,
        *,
        cash_count: CashCountMode | Unset = UNSET,
        purge_days: int | Unset = UNSET,
        origin: Origin = LOCAL,
    ) -> ChangeSummary:
        """Change the owner's rules for the tills (see :class:`TillRules`)."""
        fields: dict[str, object] = {}
        if not isinstance(cash_count, Unset):
            fields["cash_count"] = _check_choice(cash_count, "cash_count", CashCountMode)
        if not isinstance(purge_days, Unset):
            fields["purge_days"] = check_int(purge_days, "purge_days", *PURGE_DAYS_RANGE)
        return self._write_shop(fields, origin)

    def update_loyalty(
        self,
        *,
        visits: int | Unset = UNSET,
        reward: str | Unset = UNSET,
        origin: Origin = LOCAL,
    ) -> ChangeSummary:
        """Change the loyalty programme (see :class:`Loyalty`): ``visits`` 0 to
        :data:`LOYALTY_VISITS_MAX`, ``reward`` one line (may be empty)."""
        fields: dict[str, object] = {}
        if not isinstance(visits, Unset):
            fields["loyalty_visits"] = check_int(visits, "loyalty_visits", 0, LOYALTY_VISITS_MAX)
        if not isinstance(reward, Unset):
            text = check_text(reward, "loyalty_reward")
            fields["loyalty_reward"] = check_name(text, "loyalty_reward") if text else ""
        return self._write_shop(fields, origin)

    def _write_shop(self, fields: dict[str, object], origin: Origin) -> ChangeSummary:
        """Write the ``shop`` root fields that differ from what it holds, in one transaction."""
        root = self._roots["shop"]
        todo = {k: v for k, v in fields.items() if root.get(k) != v}
        if not todo:
            return ChangeSummary(origin=origin, raw_origin=origin)
        with self._write(origin):
            for key, value in todo.items():
                root[key] = value
        return self.tracker.last

    def create_till(
        self, *, name: str, number: int, origin: Origin = LOCAL, till_id: str | None = None
    ) -> Created:
        """A new till; its number (1..999) must not be used by another active till.

        ``till_id`` is for the relay, which lists a till under the id its
        accounts gave it (tills are provisioned there, not in the document).
        """
        fields = {"name": check_name(name), "number": self._check_till_number(number, till_id)}
        if till_id is not None and till_id in self._roots["tills"]:
            raise ValidationError("id", "till.exists", f"till {till_id!r} is already listed")
        return self._create("tills", {**fields, "archived": False}, origin, till_id)

    def update_till(
        self,
        till_id: str,
        *,
        name: str | Unset = UNSET,
        number: int | Unset = UNSET,
        origin: Origin = LOCAL,
    ) -> ChangeSummary:
        self.till(till_id)
        fields: dict[str, object] = {}
        if not isinstance(name, Unset):
            fields["name"] = check_name(name)
        if not isinstance(number, Unset):
            fields["number"] = self._check_till_number(number, till_id)
        return self._update("tills", till_id, fields, origin)

    def _check_till_number(self, number: object, till_id: str | None) -> int:
        value = check_int(number, "number", 1, 999)
        if any(t.number == value and t.id != till_id for t in self.tills()):
            raise ValidationError("number", "till.number_taken", f"till {value} already exists")
        return value

    def create_cashier(
        self, *, name: str, pin_hash: str, role: CashierRole, origin: Origin = LOCAL
    ) -> Created:
        """A new cashier. ``pin_hash`` is computed by the caller (Argon2id), never a PIN."""
        fields = {
            "name": check_name(name),
            "pin_hash": _check_pin_hash(pin_hash),
            "role": _check_choice(role, "role", CashierRole),
            "archived": False,
        }
        return self._create("cashiers", fields, origin)

    def update_cashier(
        self,
        cashier_id: str,
        *,
        name: str | Unset = UNSET,
        pin_hash: str | Unset = UNSET,
        role: CashierRole | Unset = UNSET,
        origin: Origin = LOCAL,
    ) -> ChangeSummary:
        self.cashier(cashier_id)
        fields: dict[str, object] = {}
        if not isinstance(name, Unset):
            fields["name"] = check_name(name)
        if not isinstance(pin_hash, Unset):
            fields["pin_hash"] = _check_pin_hash(pin_hash)
        if not isinstance(role, Unset):
            fields["role"] = _check_choice(role, "role", CashierRole)
        return self._update("cashiers", cashier_id, fields, origin)

    def create_payment_method(
        self,
        *,
        name: str,
        kind: PaymentKind,
        position: int | None = None,
        origin: Origin = LOCAL,
    ) -> Created:
        """A new payment method, last in the list unless ``position`` is given."""
        if position is None:
            position = 1 + max(
                (p.position for p in self.payment_methods(include_archived=True)), default=0
            )
        fields = {
            "name": check_name(name),
            "kind": _check_choice(kind, "kind", PaymentKind),
            "position": check_int(position, "position", 0, 1_000_000),
            "archived": False,
        }
        return self._create("payment_methods", fields, origin)

    def update_payment_method(
        self,
        method_id: str,
        *,
        name: str | Unset = UNSET,
        kind: PaymentKind | Unset = UNSET,
        position: int | Unset = UNSET,
        origin: Origin = LOCAL,
    ) -> ChangeSummary:
        self.payment_method(method_id)
        fields: dict[str, object] = {}
        if not isinstance(name, Unset):
            fields["name"] = check_name(name)
        if not isinstance(kind, Unset):
            fields["kind"] = _check_choice(kind, "kind", PaymentKind)
        if not isinstance(position, Unset):
            fields["position"] = check_int(position, "position", 0, 1_000_000)
        return self._update("payment_methods", method_id, fields, origin)

    def create_vat_rate(self, *, name: str, rate_bp: int, origin: Origin = LOCAL) -> Created:
        """A new VAT rate (2000 = 20 %)."""
        fields = {"name": check_name(name), "rate_bp": check_rate_bp(rate_bp), "archived": False}
        return self._create("vat_rates", fields, origin)

    def update_vat_rate(
        self,
        rate_id: str,
        *,
        name: str | Unset = UNSET,
        rate_bp: int | Unset = UNSET,
        origin: Origin = LOCAL,
    ) -> ChangeSummary:
        """Rename or change a rate. To follow a change in the law, prefer a new rate and
        archiving the old one: past sales keep naming the rate they were made with."""
        self.vat_rate(rate_id)
        fields: dict[str, object] = {}
        if not isinstance(name, Unset):
            fields["name"] = check_name(name)
        if not isinstance(rate_bp, Unset):
            fields["rate_bp"] = check_rate_bp(rate_bp)
        return self._update("vat_rates", rate_id, fields, origin)

    def archive(self, kind: EntryKind, entry_id: str, *, origin: Origin = LOCAL) -> ChangeSummary:
        """Archive a till, cashier, payment method or VAT rate.

        Archiving a VAT rate that active products still use is allowed (the law
        changed); :func:`crdt_models.documents.find_conflicts` then lists them.
        """
        return self._set_archived(_ARCHIVABLE[kind], entry_id, True, origin)

    def restore(self, kind: EntryKind, entry_id: str, *, origin: Origin = LOCAL) -> ChangeSummary:
        """Undo :meth:`archive`. A till whose number was taken meanwhile cannot come back."""
        if kind is EntryKind.TILL:
            self._check_till_number(self.till(entry_id).number, entry_id)
        return self._set_archived(_ARCHIVABLE[kind], entry_id, False, origin)


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones() - {"localtime"})


def _check_timezone(value: object) -> str:
    """An IANA time zone name this machine knows (``"Europe/Paris"``)."""
    if not isinstance(value, str) or value not in _zone_names():
        raise ValidationError("timezone", "timezone.unknown", f"unknown time zone {value!r}")
    return value


def _check_pin_hash(pin_hash: object) -> str:
    if not isinstance(pin_hash, str) or not pin_hash.strip():
        raise ValidationError("pin_hash", "pin_hash.empty", "a cashier needs a PIN hash")
    return pin_hash


def _check_choice(
    value: object, field: str, enum: type[CashierRole] | type[PaymentKind] | type[CashCountMode]
) -> str:
    try:
        return enum(str(value)).value
    except ValueError:
        raise ValidationError(
            field, f"{field}.unknown", f"{field}: unknown value {value!r}"
        ) from None
