from django.urls import URLPattern, URLResolver, path

from harbour.integrations.dingtalk import callback_views, views

app_name = "dingtalk"

urlpatterns: list[URLPattern | URLResolver] = [
    path("dingtalk/", views.connection_page, name="connection"),
    path("dingtalk/test/", views.test_page, name="test"),
    path("dingtalk/callback/", views.callback_page, name="callback"),
    path("dingtalk/robot/", views.robot_page, name="robot"),
    path("dingtalk/robot/test/", views.robot_test_page, name="robot_test"),
    path("dingtalk/robot/messages/", views.messages_page, name="messages"),
    path("dingtalk/disconnect/", views.disconnect_page, name="disconnect"),
    path("dingtalk/plan/", views.plan_page, name="plan"),
    path("dingtalk/runs/", views.runs_page, name="runs"),
    path("dingtalk/runs/<uuid:run_id>/", views.run_page, name="run"),
    path("dingtalk/runs/<uuid:run_id>/apply/", views.apply_page, name="apply"),
    path("dingtalk/items/<uuid:item_id>/confirm/", views.confirm_item_page, name="confirm"),
    path("dingtalk/items/<uuid:item_id>/skip/", views.skip_item_page, name="skip"),
    path("dingtalk/items/<uuid:item_id>/decide/", views.decide_item_page, name="decide"),
    path("dingtalk/events/", views.events_page, name="events"),
    # Signed and encrypted by DingTalk, not a console page (tests/dingtalk/test_callback_endpoint.py).
    path("hooks/dingtalk/<uuid:connection_id>/", callback_views.dingtalk_event),
]
