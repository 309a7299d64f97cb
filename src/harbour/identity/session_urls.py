from django.urls import path

from harbour.identity import session_views

urlpatterns = [
    path("me/sessions/", session_views.my_sessions, name="sessions"),
    path("me/sessions/<uuid:session_id>/end/", session_views.end_my_session, name="end_session"),
    path("me/sessions/end-all/", session_views.end_all_my_sessions, name="end_all_sessions"),
    path("members/<uuid:member_id>/sessions/", session_views.member_sessions, name="member_sessions"),
    path(
        "members/<uuid:member_id>/sessions/end-all/",
        session_views.end_member_sessions,
        name="end_member_sessions",
    ),
    path("members/<uuid:member_id>/unlock/", session_views.unlock_member, name="unlock_member"),
    path("login/break-glass/", session_views.break_glass_page, name="break_glass"),
]
