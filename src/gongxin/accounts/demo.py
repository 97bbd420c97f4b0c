"""Demo accounts: one or more per role, all with the password ``core.demo.DEMO_PASSWORD``.

Runs after ``people.demo`` and links accounts to real cadres of the demo county: inspectors
are 县委组织部 and 人社局 cadres, voters are the county leaders, the township clerk sits in
李庄镇. The password is hashed once and the hash reused (argon2 is deliberately slow), and
the accounts are written in bulk with ONE ledger event, ``accounts.demo.created``."""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from gongxin.core.demo import DEMO_PASSWORD
from gongxin.ledger.recording import record_event

from .models import User
from .roles import DataScope, Role

INSPECTORS = 30
VOTERS = 15

# (username, role, what to try) for the README and the demo command's printout.
DEMO_ACCOUNTS: list[tuple[str, str, str]] = [
    ("admin", "组织部管理员", "全县数据、单位与职位、规则配置、账号管理、账本"),
    ("clerk", "组织部经办人（县级）", "全县干部查询与导出、选任案件、会议、考察、联审、公示"),
    ("lizhuang_clerk", "组织部经办人（李庄镇）", "只能看到李庄镇的干部；打开其他乡镇干部得到 404"),
    ("inspector1 … inspector30", "考察人员", "只看到分派给自己的考察，记录谈话和考察报告"),
    ("reviewer_discipline / reviewer_political_legal / reviewer_audit / reviewer_health / reviewer_petitions",
     "联审单位经办人", "答复发给本单位（纪委监委、政法委、审计局、卫健委、信访局）的联审请求"),
    ("voter1 … voter15", "委员/投票人", "县委常委和县级领导：查看本人参加的讨论决定会议及其案件"),
    ("cadre", "干部", "本人档案；查看职位空缺公告并自荐报名，当场看到资格审查结果"),
    ("section_head", "科室负责人", "在本单位进行中的双向选择里为本科室排序人员；查看职位空缺公告并自荐报名"),
]
# Each description says only what the account can do today; tests/accounts/test_demo_accounts.py
# checks that every one of them lands on a home page with somewhere to go.


def _pick(pool, used, predicate=lambda c: True):
    for cadre in pool:
        if cadre.pk not in used and predicate(cadre):
            used.add(cadre.pk)
            return cadre
    return None


def _age(cadre, today):
    b = cadre.birth_date
    return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


def build(ctx) -> None:
    data = ctx.data
    units = data["units"]
    root = data["root"]
    by_unit = data["cadres_by_unit"]
    tiers = data.get("tiers", {})
    leaders = data["county_leaders"]
    used: set[int] = set(c.pk for c in leaders)

    def staff_of(unit_name):
        return [c for c in by_unit.get(unit_name, []) if tiers.get(c.pk) in ("staff", "middle")]

    specs = []  # (username, role, scope, units, cadre, extra)
    specs.append(("admin", Role.ORG_ADMIN, DataScope.ALL, [root], None, {"full_name": "组织部管理员", "is_staff": True}))
    clerk_cadre = _pick(staff_of("县委组织部"), used, lambda c: c.org_unit.name == "县委组织部干部科") or \
        _pick(staff_of("县委组织部"), used)
    specs.append(("clerk", Role.CLERK, DataScope.SUBTREE, [root], clerk_cadre, {}))
    lizhuang = units["李庄镇"]
    township_clerk = _pick(staff_of("李庄镇"), used, lambda c: c.org_unit.name == "李庄镇党政办") or \
        _pick(staff_of("李庄镇"), used)
    specs.append(("lizhuang_clerk", Role.CLERK, DataScope.SUBTREE, [lizhuang], township_clerk, {}))

    inspector_pool = (list(by_unit.get("县委组织部", [])) + list(by_unit.get("县人力资源和社会保障局", []))
                      + list(by_unit.get("县纪委监委", [])))
    for i in range(1, INSPECTORS + 1):
        cadre = _pick(inspector_pool, used)
        specs.append((f"inspector{i}", Role.INSPECTOR, DataScope.SELF, [], cadre, {}))

    for code, unit in data["review_units"].items():
        cadre = _pick(staff_of(unit.name), used) or _pick(by_unit.get(unit.name, []), used)
        specs.append((f"reviewer_{code}", Role.REVIEWER, DataScope.SELF, [unit], cadre, {"review_department": code}))

    for i, cadre in enumerate(leaders[:VOTERS], start=1):
        specs.append((f"voter{i}", Role.VOTER, DataScope.SELF, [], cadre, {}))

    emigrated = {c.pk for c in data.get("emigrated_spouse_cadres", [])}
    # a 李庄镇 deputy of 40 or under, else a 李庄镇 cadre of that age (the county may have no such
    # deputy free), else a young cadre anywhere
    cadre_user = _pick(by_unit.get("李庄镇", []), used,
                       lambda c: tiers.get(c.pk) == "fuke" and _age(c, ctx.today) <= 40 and c.pk not in emigrated) or \
        _pick(by_unit.get("李庄镇", []), used, lambda c: _age(c, ctx.today) <= 40 and c.pk not in emigrated) or \
        _pick(data["cadres"], used, lambda c: _age(c, ctx.today) <= 35 and c.pk not in emigrated)
    specs.append(("cadre", Role.CADRE, DataScope.SELF, [], cadre_user, {}))

    section, head = _section_head(data, used)
    specs.append(("section_head", Role.SECTION_HEAD, DataScope.UNIT, [section], head, {}))

    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        users = User.objects.bulk_create([
            User(username=username, password=password, role=role, data_scope=scope, cadre=cadre,
                 full_name=extra.pop("full_name", cadre.name if cadre else username), **extra)
            for username, role, scope, _units, cadre, extra in specs])
        through = User.org_units.through
        through.objects.bulk_create([through(user_id=user.pk, orgunit_id=unit.pk)
                                     for user, spec in zip(users, specs, strict=True) for unit in spec[3]])
        admin = users[0]
        record_event(kind="accounts.demo.created", subject=("accounts.demo", f"demo-{ctx.seed}"), actor=admin,
                     payload={"accounts": [
                         {"username": u.username, "role": u.role, "data_scope": u.data_scope,
                          "org_units": sorted(unit.pk for unit in spec[3]), "cadre": u.cadre_id,
                          "review_department": u.review_department, "is_active": u.is_active}
                         for u, spec in zip(users, specs, strict=True)]})
    ctx.admin = admin
    data["users"] = {u.username: u for u in users}
    data["clerk"] = data["users"]["clerk"]
    data["township_clerk"] = data["users"]["lizhuang_clerk"]
    data["inspectors"] = [data["users"][f"inspector{i}"] for i in range(1, INSPECTORS + 1)]
    data["voters"] = [data["users"][f"voter{i}"] for i in range(1, VOTERS + 1)]
    data["reviewers"] = {code: data["users"][f"reviewer_{code}"] for code in data["review_units"]}
    data["section_head_section"] = section
    ctx.built("accounts", f"{len(users)} 个演示账号（各角色，密码 {DEMO_PASSWORD}）")


def _section_head(data, used):
    """The head of 县财政局预算股 (or the first filled middle post): a section for two-way selection."""
    from gongxin.people.models import PostHolding

    preferred = ["县财政局预算股", "县委组织部干部科"]
    posts = sorted(data["middle_posts"], key=lambda p: (p.org_unit.name not in preferred,
                                                        preferred.index(p.org_unit.name)
                                                        if p.org_unit.name in preferred else 0, p.pk))
    for post in posts:
        holding = (PostHolding.objects.filter(post=post, end__isnull=True).select_related("cadre").first())
        if holding and holding.cadre_id not in used:
            used.add(holding.cadre_id)
            return post.org_unit, holding.cadre
    raise RuntimeError("no section head in the demo county")
