import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.push import material

# A valid submission per vendor: (POST data, uploaded files). Files are made fresh for each use.
TEXT_VENDORS = {
    "huawei": {"name": "104567890", "client_secret": "huawei-ClientSecret-ABCD1234", "package_name": "com.example.chat",
               "project_id": "736430079245", "category": "IM"},
    "xiaomi": {"name": "2882303761517", "app_secret": "xiaomi-AppSecret-Z9y8X7w6", "package_name": "com.example.chat",
               "channel_id": "high_system"},
    "oppo": {"name": "oppoAppKey2026", "master_secret": "oppo-MasterSecret-77aa88bb",
             "package_name": "com.example.chat", "channel_id": ""},
    "vivo": {"name": "105123456", "app_key": "vivo-AppKey-1234abcd", "app_secret": "vivo-AppSecret-5678efgh",
             "package_name": "com.example.chat", "category": "IM"},
    "meizu": {"name": "131234", "app_secret": "meizu-AppSecret-0a1b2c3d", "package_name": "com.example.chat"},
    "honor": {"name": "104400001", "client_id": "hn-client-001", "client_secret": "honor-ClientSecret-9f8e7d6c"},
}
SECRETS = {
    "huawei": ["huawei-ClientSecret-ABCD1234"],
    "xiaomi": ["xiaomi-AppSecret-Z9y8X7w6"],
    "oppo": ["oppo-MasterSecret-77aa88bb"],
    "vivo": ["vivo-AppKey-1234abcd", "vivo-AppSecret-5678efgh"],
    "meizu": ["meizu-AppSecret-0a1b2c3d"],
    "honor": ["honor-ClientSecret-9f8e7d6c"],
}


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def apns_p8_submission(**changes):
    data = {"cert_type": "p8", "name": "apns-token", "key_id": "ABCDE12345", "team_id": "TEAM123456",
            "environment": "production", "package_name": "com.example.chat"}
    data.update(changes)
    return data, {"certificate_file": upload("AuthKey_ABCDE12345.p8", material.p8())}


def apns_p12_submission(p12: bytes | None = None, password: str = material.P12_PASSWORD, **changes):
    data = {"cert_type": "p12", "name": "apns-cert", "p12_password": password,
            "environment": "development", "package_name": "com.example.chat"}
    data.update(changes)
    return data, {"certificate_file": upload("push.p12", p12 or material.p12(password=password))}


def fcm_submission(content: bytes | None = None, **changes):
    data = {"name": "123456789012", "channel_id": "messages", "priority": "high", "message_type": "both"}
    data.update(changes)
    return data, {"service_account_file": upload("service-account.json", content or material.service_account())}


def submission(kind: str):
    """(vendor, data, files) for a kind: a vendor code, or apns_p8 / apns_p12."""
    if kind == "apns_p8":
        return ("apns", *apns_p8_submission())
    if kind == "apns_p12":
        return ("apns", *apns_p12_submission())
    if kind == "fcm":
        return ("fcm", *fcm_submission())
    return kind, dict(TEXT_VENDORS[kind]), {}


KINDS = ["apns_p8", "apns_p12", "fcm", *TEXT_VENDORS]


@pytest.fixture
def app(org):
    from tests.applications.factories import AppFactory

    return AppFactory(organization=org, name="chat")
