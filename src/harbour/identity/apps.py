from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "harbour.identity"
    label = "identity"
    verbose_name = "Sign-in and tokens"

    def ready(self) -> None:
        from harbour.core.entitlements import Feature, register_dependent
        from harbour.identity import audit_kinds, baseline_rules, break_glass, receivers, risk  # noqa: F401
        from harbour.identity.sso import checks  # noqa: F401  (SSO only needs a working connection)
        from harbour.identity.tokens import describe_token_dependence

        register_dependent(Feature.API_ACCESS, describe_token_dependence)

        from harbour.identity import factors

        factors.register()  # second-factor sign-in steps and security settings checks
