"""The planner's unit tree and posts."""


from ..models import (
    OrgUnitKind,
    PostKind,
)
from . import data as D


class _TreeMixin:
    # -- units and posts ---------------------------------------------------------------
    def unit(self, name, kind, parent=None, short_name="", grassroots=False, remote=False):
        unit = {"name": name, "kind": kind, "parent": parent["name"] if parent else None, "short_name": short_name,
                "is_grassroots": grassroots, "is_remote": remote, "sort_order": len(self.units),
                "parent_unit": parent, "depth": parent["depth"] + 1 if parent else 0}
        self.units.append(unit)
        self.unit_by_name[name] = unit
        return unit

    def post(self, unit, title, rank, kind=PostKind.LEADERSHIP, headcount=1):
        post = {"unit": unit["name"], "title": title, "rank": rank, "kind": kind, "headcount": headcount,
                "unit_ref": unit, "filled": 0}
        self.posts.append(post)
        self.post_by_key[(unit["name"], title)] = post
        return post

    def build_tree(self):
        root = self.unit(D.COUNTY, OrgUnitKind.ORGAN, short_name="惠民")
        for title, rank, n in D.COUNTY_LEADER_POSTS:
            self.post(root, title, rank, headcount=n)
        groups = [(OrgUnitKind.ORGAN, D.ORGANS), (OrgUnitKind.DEPARTMENT, D.DEPARTMENTS),
                  (OrgUnitKind.INSTITUTION, D.INSTITUTIONS)]
        for kind, table in groups:
            for name, short, sections in table:
                unit = self.unit(name, kind, root, short)
                default = {OrgUnitKind.ORGAN: [("主任", "zhengke", 1), ("副主任", "fuke", 2)],
                           OrgUnitKind.DEPARTMENT: D.DEPARTMENT_POSTS,
                           OrgUnitKind.INSTITUTION: D.INSTITUTION_POSTS}[kind]
                for title, rank, n in D.ORGAN_POSTS.get(name, default):
                    self.post(unit, title, rank, headcount=n)
                for section in sections:
                    self.section(unit, name + section, section)
        for town, is_street, villages in D.TOWNSHIPS:
            unit = self.unit(town, OrgUnitKind.TOWNSHIP, root, town[:-2] if is_street else town[:-1],
                             grassroots=True, remote=town in D.REMOTE_TOWNSHIPS)
            for title, rank, n in (D.STREET_POSTS if is_street else D.TOWN_POSTS):
                self.post(unit, title, rank, headcount=n)
            for section in D.TOWNSHIP_SECTIONS:
                self.section(unit, town + section, section)
            for village in villages:
                v = self.unit(town + village, OrgUnitKind.VILLAGE, unit, village, grassroots=True)
                for title, n in D.VILLAGE_POSTS:
                    self.post(v, title, D.VILLAGE_RANK, PostKind.STAFF, headcount=n)

    def section(self, unit, name, short):
        section = self.unit(name, OrgUnitKind.SECTION, unit, short, grassroots=unit["is_grassroots"])
        head = {"科": "科长", "股": "股长", "室": "主任", "办": "主任", "部": "部长", "处": "主任",
                "队": "大队长"}.get(short[-1], "主任")
        if short.endswith("心"):
            head = "主任"
        self.post(section, head, D.MIDDLE_RANK, PostKind.MIDDLE)
        if not unit["is_grassroots"]:
            self.post(section, "副" + head, D.MIDDLE_RANK, PostKind.MIDDLE)
        return section

