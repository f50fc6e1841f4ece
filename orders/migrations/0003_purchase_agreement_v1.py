from django.db import migrations

TEXT_EN = """1. Scope. This agreement governs plans and add-ons bought for an IM app in this console.
2. Charging. Charging starts on the business day of purchase (Asia/Shanghai) and is billed monthly, prorated by day. The fee shown at checkout is an estimate; the monthly bill is what counts.
3. Provisioning. A new order goes in service a few minutes after purchase. A new plan replaces the plan in service, together with its add-ons, when it goes in service.
4. Payment. Bills are paid from the organization's balance. While the organization is in arrears, new purchases are paused until the balance is topped up.
5. Service. Quotas and features follow the plan and add-ons in service, as listed on the plans page.
6. Changes. A new version of this agreement applies to orders placed after it is published; each order records the version its buyer accepted."""

TEXT_ZH = """1. 适用范围：本协议适用于在本控制台为即时通讯应用购买的版本与增值服务。
2. 计费：自购买当日（以 Asia/Shanghai 营业日计）起计费，按月出账，按天折算。下单页显示的费用为预估，以月度账单为准。
3. 开通：新订单在购买后几分钟内开始服务。新版本开始服务时，替换服务中的版本及其增值服务。
4. 付款：账单从组织余额中扣除。组织欠费期间暂停新的购买，充值后恢复。
5. 服务内容：配额与功能以服务中的版本和增值服务为准，详见版本对比页。
6. 变更：协议新版本发布后，适用于此后下的订单；每个订单记录下单人接受的协议版本。"""


def seed(apps, schema_editor):
    PurchaseAgreement = apps.get_model("orders", "PurchaseAgreement")
    PurchaseAgreement.objects.get_or_create(version=1, defaults={"text_en": TEXT_EN, "text_zh": TEXT_ZH})


class Migration(migrations.Migration):
    dependencies = [("orders", "0002_purchase_agreement")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
