def test_me(api):
    r = api.get("/users/me")
    assert r.status_code == 200, r.text
    assert r.json()["id"] == api.owner_id
