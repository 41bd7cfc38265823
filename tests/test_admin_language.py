"""The admin speaks Arabic, right to left, unless the editor switches to English."""

from django.urls import reverse


def test_admin_is_arabic_and_rtl_even_for_an_english_browser(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:index"), headers={"accept-language": "en-GB,en;q=0.9"})
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert response["Content-Language"] == "ar"
    assert 'action="/i18n/setlang/"' in html  # the switch is in the header


def test_switching_to_english_and_back(client, editor):
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")
    response = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    html = client.get(url).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    client.post("/i18n/setlang/", {"language": "ar", "next": url})
    assert '<html lang="ar" dir="rtl">' in client.get(url).content.decode()


def test_the_login_page_has_the_switch_too(client):
    html = client.get(reverse("admin:login")).content.decode()
    assert 'name="language"' in html and 'dir="rtl"' in html
