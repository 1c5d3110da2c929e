"""Pydantic models of the extraction output contract."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DocType = Literal["judgment", "ruling", "enforcement", "penalty"]
Kind = Literal["person", "organization"]


class PartyDetails(BaseModel):
    """Identifying facts written next to a party (kept for entity linking)."""

    model_config = ConfigDict(extra="forbid")
    sex: str | None = None
    birth_date: str | None = None
    ethnicity: str | None = None
    id_number: str | None = None
    id_masked: bool | None = None
    uscc: str | None = None
    org_code: str | None = None
    address: str | None = None
    position: str | None = None


class Party(BaseModel):
    """A party to the case with its procedural role as written (原告, 被执行人, 当事人…)."""

    model_config = ConfigDict(extra="forbid")
    name: str
    role: str
    kind: Kind
    role_full: str | None = None
    alias: str | None = None
    details: PartyDetails = Field(default_factory=PartyDetails)


class Representative(BaseModel):
    """A legal representative, person in charge or agent of a party (not a party)."""

    model_config = ConfigDict(extra="forbid")
    name: str
    role: str
    of: str | None = None
    affiliation: str | None = None


class Amount(BaseModel):
    """A sum of money in yuan with its kind (principal, interest, fine…)."""

    model_config = ConfigDict(extra="forbid")
    value: float
    type: str
    label: str | None = None
    text: str | None = None
    kind: str | None = None
    """`claim_principal` / `claim_interest` / `claim_fee` / `claim_total` for what the claimant
    asks (诉讼请求), else the adjudged/decided type (`principal`, `interest`, `fine`…)."""
    suspect: str | None = None
    """Why the figure contradicts the rest of the document (then not used for records)."""


class Guarantee(BaseModel):
    """A guarantee relation: guarantor secures debtor's debt to creditor."""

    model_config = ConfigDict(extra="forbid")
    guarantor: str
    debtor: str
    creditor: str | None = None
    type: str | None = None
    liable: bool | None = None
    basis: str | None = None
    """`fact` (stated in the facts or claims) or `outcome` (only ordered in the decision)."""


class NotGuarantee(BaseModel):
    """Security or a joint debt that is not a guarantee (kept apart from `guarantees`)."""

    model_config = ConfigDict(extra="forbid")
    party: str
    debtor: str | None = None
    kind: str
    """`own_mortgage` / `own_pledge` (the debtor's own property), `spouse_joint_debt`
    (夫妻共同债务 / 家庭财产承担连带清偿责任), `co_repayment` (共同还款承诺)."""


class Extraction(BaseModel):
    """The full extraction result of one document."""

    model_config = ConfigDict(extra="forbid")
    doc_type: DocType | None = None
    case_number: str | None = None
    authority: str | None = None
    date: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    cause: str | None = None
    parties: list[Party] = Field(default_factory=list)
    amounts: list[Amount] = Field(default_factory=list)
    guarantees: list[Guarantee] = Field(default_factory=list)
    not_guarantees: list[NotGuarantee] = Field(default_factory=list)
    outcome: list[str] = Field(default_factory=list)
    # extra keys
    doc_title: str | None = None
    representatives: list[Representative] = Field(default_factory=list)
    agents: list[Representative] = Field(default_factory=list)
