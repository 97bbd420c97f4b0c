import datetime as dt

from ninja import Field, Schema


class Error(Schema):
    code: str
    message: str
    details: dict = {}


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None
    depth: int
    is_grassroots: bool


class PostOut(Schema):
    id: int
    org_unit_id: int
    org_unit: str = Field(..., alias="org_unit.name")
    title: str
    rank: str = Field(..., alias="rank.code")
    kind: str
    headcount: int
    filled: int
    in_case: int = 0
    vacancies: int = 0
    case_id: int | None = None


class ResumeEntryIn(Schema):
    start: dt.date
    end: dt.date | None = None
    description: str
    kind: str = "work"
    place: str = ""
    is_grassroots: bool = False


class ResumeEntryOut(ResumeEntryIn):
    id: int
    line: str


class RelationIn(Schema):
    kind: str
    title: str
    name: str
    birth: str = ""
    political_status: str = ""
    work_unit_and_post: str = ""
    related_cadre_id: int | None = None
    emigrated: bool = False


class RelationOut(RelationIn):
    id: int


class HoldingOut(Schema):
    id: int
    post_id: int
    post: str
    start: dt.date
    end: dt.date | None
    probation_end: dt.date | None


class CadreListOut(Schema):
    id: int
    name: str
    sex: str
    birth_date: dt.date
    age: int
    ethnicity: str
    political_status: str
    fulltime_education: str
    org_unit_id: int
    org_unit: str
    rank: str | None
    current_post_title: str
    id_number: str


class CadreFields(Schema):
    name: str | None = None
    sex: str | None = None
    birth_date: dt.date | None = None
    id_number: str | None = None
    ethnicity: str | None = None
    native_place: str | None = None
    birthplace: str | None = None
    political_status: str | None = None
    party_joined: dt.date | None = None
    work_started: dt.date | None = None
    health: str | None = None
    professional_title: str | None = None
    expertise: str | None = None
    fulltime_education: str | None = None
    fulltime_degree: str | None = None
    fulltime_education_school: str | None = None
    fulltime_degree_school: str | None = None
    parttime_education: str | None = None
    parttime_degree: str | None = None
    parttime_education_school: str | None = None
    parttime_degree_school: str | None = None
    current_post_title: str | None = None
    proposed_post_title: str | None = None
    proposed_removal_title: str | None = None
    rewards_and_punishments: str | None = None
    annual_assessment_text: str | None = None
    appointment_reason: str | None = None
    reporting_unit: str | None = None
    org_unit_id: int | None = None
    rank: str | None = Field(None, description="职级代码，如 fuke")
    rank_since: dt.date | None = None
    status: str | None = None


class CadreIn(CadreFields):
    name: str
    sex: str
    birth_date: dt.date
    id_number: str
    org_unit_id: int


class CadreOut(CadreListOut):
    native_place: str
    birthplace: str
    party_joined: dt.date | None
    work_started: dt.date | None
    health: str
    professional_title: str
    expertise: str
    fulltime_degree: str
    fulltime_education_school: str
    fulltime_degree_school: str
    parttime_education: str
    parttime_degree: str
    parttime_education_school: str
    parttime_degree_school: str
    proposed_post_title: str
    proposed_removal_title: str
    rewards_and_punishments: str
    annual_assessment_text: str
    appointment_reason: str
    reporting_unit: str
    rank_since: dt.date | None
    status: str
    resume: list[ResumeEntryOut]
    relations: list[RelationOut]
    holdings: list[HoldingOut]
