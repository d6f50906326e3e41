"""The rule table: each rule named once, and everything that reads it agrees."""

from __future__ import annotations

import pytest

from zacviz.i18n import CATALOGUE, LANGUAGES
from zacviz.rules import engine, table
from zacviz.rules.table import RULE_IDS, RULES


def test_each_rule_is_named_once_and_has_one_check_function():
    assert len(set(RULE_IDS)) == len(RULE_IDS)
    assert list(engine.CHECKS) == list(RULE_IDS), "register checks in the table's order"


def test_registering_a_check_for_an_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="not in the rule table"):
        engine.check("no_such_rule")


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_every_text_of_a_rule_exists_in_both_languages(rule):
    keys = [rule.title_key, *rule.message_keys, rule.plain_key(True), rule.plain_key(False)]
    for key in keys:
        assert key in CATALOGUE, key
        assert all(CATALOGUE[key].get(lang) for lang in LANGUAGES), key


def test_the_catalogue_has_no_rule_message_the_table_does_not_name():
    named = {k for r in RULES for k in r.message_keys}
    for key in CATALOGUE:
        head = key.split(".", 1)[0]
        if head in RULE_IDS:
            assert key in named, f"{key} is not among the outcomes of {head} in the rule table"


def test_limits_are_written_with_their_sense():
    assert table.rule("height").limit_text(12.0, "fr") == "≤ 12,0 m"
    assert table.rule("green_ratio").limit_text(0.15, "en") == "≥ 15.0%"
    assert table.rule("parking").limit_text(None, "en") == "—"
    assert table.rule("height").margin(14.0, 12.0) == -2.0
    assert table.rule("road_setback").margin(14.0, 10.0) == 4.0


def test_plain_words_use_brief_figures():
    assert (
        table.plain_words("green_ratio", False, 0.104, 0.15, "en")
        == "Not enough green space: 10%, 15% needed."
    )
    assert table.plain_words("parking", True, 12, 10, "fr") == "12 places de parking pour 10 nécessaires."
    with pytest.raises(KeyError):
        table.rule("nope")
