"""Share tokens (nbdemo.jupyter.shares): signed, bound to one demo, expiring, revocable."""

from __future__ import annotations

import pytest

from nbdemo.jupyter import shares as shares_mod
from nbdemo.jupyter.shares import DEFAULT_EXPIRES, MAX_EXPIRES, Refused, Shares

DEMO, OTHER, KERNEL = "0123456789abcdef", "fedcba9876543210", "k-1"


def refused(shares: Shares, demo_id: str, token: str) -> Refused:
    with pytest.raises(Refused) as e:
        shares.verify(demo_id, token)
    return e.value


def test_a_token_opens_its_demo_until_it_expires(monkeypatch):
    s = Shares()
    share = s.create(DEMO, KERNEL)
    assert s.verify(DEMO, share.token) is share
    assert share.path() == f"nbdemo/share/{DEMO}/{share.token}/"
    assert abs(share.expires - (share.created + DEFAULT_EXPIRES)) <= 1
    now = share.expires + 1
    monkeypatch.setattr(shares_mod.time, "time", lambda: now)
    e = refused(s, DEMO, share.token)
    assert e.status == 410 and "expired" in e.title


def test_every_character_of_the_token_counts():
    s = Shares()
    token = s.create(DEMO, KERNEL).token
    for i in range(len(token)):
        c = token[i]
        altered = token[:i] + ("A" if c != "A" else "B") + token[i + 1:]
        assert refused(s, DEMO, altered).status == 403, i
    assert refused(s, DEMO, token[:-1]).status == 403
    assert refused(s, DEMO, "").status == 403


def test_a_token_is_bound_to_its_demo_and_its_server():
    s = Shares()
    token = s.create(DEMO, KERNEL).token
    e = refused(s, OTHER, token)
    assert e.status == 403 and "not valid" in e.title
    # another server (another secret) does not accept it: a restarted Jupyter server neither
    assert refused(Shares(), DEMO, token).status == 403


def test_a_longer_expiry_in_the_token_breaks_its_signature():
    s = Shares()
    share_id, expires, sig = s.create(DEMO, KERNEL, 60).token.split(".")
    assert refused(s, DEMO, f"{share_id}.{int(expires) + 3600}.{sig}").status == 403


def test_revoked_links_say_so_and_others_stay():
    s = Shares()
    a, b = s.create(DEMO, KERNEL), s.create(DEMO, KERNEL)
    c = s.create(OTHER, KERNEL)
    assert s.revoke(a.share_id) and not s.revoke(a.share_id)
    e = refused(s, DEMO, a.token)
    assert e.status == 410 and "revoked" in e.title
    assert s.verify(DEMO, b.token) is b
    assert s.of_demo(DEMO) == [b]
    assert s.revoke_demo(DEMO) == 1 and s.of_demo(DEMO) == []
    assert s.verify(OTHER, c.token) is c


@pytest.mark.parametrize("bad", [0, -5, MAX_EXPIRES + 1, "60", True, float("nan")])
def test_expiry_must_be_seconds_in_range(bad):
    with pytest.raises(ValueError, match="share_expires"):
        Shares().create(DEMO, KERNEL, bad)
