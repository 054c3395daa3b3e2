"""Property: whoever acts and whatever they type, no read returns a row outside their scope."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrtui.access.actor import Actor, OutOfScope, find_employee
from hrtui.domain.people import employee_card
from hrtui.domain.roster import SORTS, Roster
from hrtui.store.db import database


@pytest.fixture
def org(demo_db):
    depts = dict(database.execute_sql("SELECT code, id FROM department"))
    people = database.execute_sql("SELECT id, number, department_id, manager_id, name_zh FROM employee").fetchall()
    managers = sorted({p[3] for p in people if p[3]})
    return depts, people, managers


def allowed(actor: Actor, person) -> bool:
    pid, _number, dept, manager, _name = person
    if actor.role == "admin":
        return True
    if actor.role == "hr":
        return dept in actor.department_ids
    if actor.role == "manager":
        return manager == actor.employee_id or pid == actor.employee_id
    return pid == actor.employee_id


def actors(org):
    depts, people, managers = org
    dept_ids = sorted(depts.values())
    return st.one_of(
        st.builds(lambda ds: Actor("u", "hr.x", "hr", tuple(ds)), st.lists(st.sampled_from(dept_ids), max_size=3, unique=True)),
        st.builds(lambda m: Actor("u", "mgr.x", "manager", (), m), st.sampled_from(managers)),
        st.builds(lambda p: Actor("u", "emp.x", "employee", (), p[0]), st.sampled_from(people)),
        st.just(Actor("u", "admin.x", "admin")),
    )


FILTERS = st.one_of(st.just(""), st.sampled_from(["张", "李", "王伟", "SALES", "RD", "研发", "客服", "E0001", "e00", "wang", "a",
                                                  "Sales Li", "zh", "人力"]),
                    st.text(alphabet="张王李伟芳ESRDCawnizhg0123 ", max_size=4))


def test_no_read_path_leaks_out_of_scope(org):
    depts, people, managers = org
    by_number = {p[1]: p for p in people}

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(actor=actors(org), text=FILTERS, sort=st.sampled_from(SORTS), descending=st.booleans(),
           probe=st.sampled_from(people))
    def check(actor, text, sort, descending, probe):
        roster = Roster(actor, text, sort, descending)
        rows = roster.page(0, 500)
        assert len(rows) == min(roster.count(), 500)
        for row in rows:
            assert allowed(actor, by_number[row.number]), (actor.role, text, row.number)
        # direct look-ups: a probe outside the scope is refused, inside it is found
        for key in (probe[1], probe[4]):
            try:
                found = find_employee(actor, key)
            except OutOfScope:
                assert not allowed(actor, probe) or key == probe[4]  # a name may be shared by several people
            except Exception as exc:  # ambiguous name: refused with a clear message, nothing returned
                assert "several employees" in str(exc)
            else:
                assert allowed(actor, next(p for p in people if p[0] == found))
        if allowed(actor, probe):
            assert employee_card(actor, probe[1]).number == probe[1]
        else:
            with pytest.raises(OutOfScope):
                employee_card(actor, probe[1])

    check()


def test_portraits_attention_plans_and_exports_stay_in_scope(org, tmp_path):
    """The other read paths: portrait, needs-attention, plan list, interview notes, the encrypted export."""
    import io
    import json

    from hrtui.access.policy import Refused
    from hrtui.crypto import age
    from hrtui.domain import interview
    from hrtui.domain.attention import attention
    from hrtui.domain.plans import plans
    from hrtui.domain.portrait import portrait
    from hrtui.errors import UserError
    from hrtui.transfer.export import export

    depts, people, managers = org
    by_number = {p[1]: p for p in people}
    identity, recipient = age.generate_identity()
    hr = Actor("u", "hr.x", "hr", (depts["SALES"],))
    # an interview with an HR-private note, in SALES
    sales_person = next(p for p in people if p[2] == depts["SALES"] and p[3])
    from hrtui.store.db import database as db

    admin_id = db.execute_sql("SELECT id FROM user WHERE name = 'admin'").fetchone()[0]
    admin = Actor(admin_id, "admin", "admin")
    session = interview.start_or_resume(admin, sales_person[1])
    interview.commit_note(admin, session.id, interview.Note(1, 5.0, 0, "employee", "private words"))
    n = [0]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(actor=actors(org), probe=st.sampled_from(people))
    def check(actor, probe):
        # needs-attention and the plan list
        try:
            rows = attention(actor).rows
        except UserError:
            rows = []
        assert all(allowed(actor, by_number[r.number]) for r in rows)
        try:
            plan_rows = plans(actor)
        except UserError:
            plan_rows = []
        assert all(allowed(actor, by_number[r.number]) for r in plan_rows)
        # a portrait: only inside the scope, and never for an employee account
        try:
            portrait(actor, probe[1], "en")
        except UserError:
            pass
        else:
            assert allowed(actor, probe) and actor.role != "employee"
        # interview notes are HR-private: managers and employees never read them, whoever they ask about
        if actor.role in ("manager", "employee"):
            with pytest.raises(Refused):
                interview.summary(actor, sales_person[1])
        # the export holds only rows of the scope
        if actor.role in ("admin", "hr"):
            n[0] += 1
            out = tmp_path / f"x{n[0]}.age"
            export(actor, out, fmt="json", recipients=[recipient])
            plain = io.BytesIO()
            age.decrypt(open(out, "rb"), plain, identities=[identity])
            text = plain.getvalue().decode("utf-8")
            for p in people:
                if p[1] in text:
                    assert allowed(actor, p), (actor.role, p[1])
            assert "private words" not in text

    check()
    assert interview.summary(hr, sales_person[1]).interview.notes[0].text == "private words"
