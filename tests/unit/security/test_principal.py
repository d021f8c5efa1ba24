"""Certificate principals: RFC 2253 subjects and ``ssl.principal.mapping.rules``."""

from __future__ import annotations

import pytest

from kafkalite.config import BrokerConfig, ConfigError
from kafkalite.security.principal import PrincipalMapper, certificate_subject


def test_default_keeps_the_subject() -> None:
    assert PrincipalMapper().name("CN=client,O=kafkalite") == "CN=client,O=kafkalite"


def test_the_first_matching_rule_names_the_principal() -> None:
    mapper = PrincipalMapper(
        "RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/,"
        "RULE:^CN=([^,]*),O=(.*)$/$1@$2/L,"
        "RULE:^CN=(.*?)(,.*)?$/$1/U,"
        "DEFAULT"
    )
    assert mapper.name("CN=svc,OU=ServiceUsers,O=x") == "svc"
    assert mapper.name("CN=Bob,O=Kafkalite") == "bob@kafkalite"
    assert mapper.name("CN=client") == "CLIENT"
    assert mapper.name("C=US") == "C=US"


def test_a_subject_no_rule_matches_is_refused() -> None:
    with pytest.raises(ValueError, match="no ssl.principal.mapping.rules rule matches"):
        PrincipalMapper("RULE:^CN=(.*)$/$1/").name("O=x")


def test_slashes_can_be_escaped_in_rules() -> None:
    assert PrincipalMapper(r"RULE:^CN=(.*)$/users\/$1/").name("CN=a") == "users/a"


@pytest.mark.parametrize("rules", ["RULE:no-slashes", "DEFAULT DEFAULT", "", "RULE:^a$/b/X"])
def test_malformed_rules_are_a_config_error(rules: str) -> None:
    with pytest.raises(ConfigError):
        BrokerConfig().with_properties({"ssl.principal.mapping.rules": rules})


def test_subjects_are_written_as_java_writes_them() -> None:
    subject = (
        (("countryName", "US"),),
        (("organizationName", "kafkalite"),),
        (("commonName", " lead;ing"),),
    )
    assert certificate_subject({"subject": subject}) == "CN=\\ lead\\;ing,O=kafkalite,C=US"
