import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured

from apps.applications.models import App
from console import crypto

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def test_a_value_round_trips_and_the_token_does_not_contain_it(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    token = crypto.encrypt("s3cret-välue")
    assert "s3cret" not in token
    assert crypto.decrypt(token) == "s3cret-välue"


def test_encrypting_twice_gives_different_tokens(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    assert crypto.encrypt("same") != crypto.encrypt("same")


def test_every_listed_key_decrypts_and_only_the_first_encrypts(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    old_token = crypto.encrypt("value")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A, KEY_B]
    assert crypto.decrypt(old_token) == "value"
    new_token = crypto.encrypt("value")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    assert crypto.decrypt(new_token) == "value"


def test_rotate_moves_a_token_under_the_first_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    token = crypto.encrypt("value")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A, KEY_B]
    rotated = crypto.rotate(token)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    assert crypto.decrypt(rotated) == "value"


def test_a_token_no_key_opens_raises_a_decryption_error(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    token = crypto.encrypt("value")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token[:-4] + "AAAA")


def test_a_tampered_token_is_refused(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    token = crypto.encrypt("value")
    tampered = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered)


def test_no_keys_is_a_configuration_error(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="empty"):
        crypto.encrypt("value")


def test_a_malformed_key_is_a_configuration_error_that_does_not_echo_the_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A, "not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured) as excinfo:
        crypto.encrypt("value")
    assert "entry 2" in str(excinfo.value)
    assert "not-a-fernet-key" not in str(excinfo.value)


def test_keys_from_the_environment_may_carry_whitespace(settings):
    settings.FIELD_ENCRYPTION_KEYS = [f" {KEY_A} ", ""]
    assert crypto.decrypt(crypto.encrypt("value")) == "value"


def test_mask_shows_only_the_last_four_characters_of_a_long_secret():
    assert crypto.mask("YXA6abcdefghijklmnop") == "••••••••mnop"
    assert crypto.mask("short") == "••••••••"
    assert crypto.mask("") == ""


@pytest.mark.django_db
def test_an_encrypted_field_cannot_be_filtered_on():
    with pytest.raises(FieldError, match="encrypted"):
        list(App.objects.filter(client_secret="anything"))
    with pytest.raises(FieldError, match="encrypted"):
        list(App.objects.filter(client_secret__startswith="YXA6"))
    assert list(App.objects.filter(client_secret__isnull=True)) == []
