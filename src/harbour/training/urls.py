from django.urls import path

from harbour.training import views

app_name = "training"

urlpatterns = [
    path("training/", views.programmes, name="programmes"),
    path("training/programmes/new/", views.programme_new, name="programme_new"),
    path("training/programmes/<uuid:programme_id>/", views.programme_edit, name="programme_edit"),
    path("training/programmes/<uuid:programme_id>/quiz/", views.programme_quiz, name="programme_quiz"),
    path("training/sessions/new/", views.session_new, name="session_new"),
    path("training/sessions/<uuid:session_id>/", views.session, name="session"),
    path("training/sessions/<uuid:session_id>/quiz/", views.session_quiz, name="session_quiz"),
    path("training/sessions/<uuid:session_id>/attendance/", views.attendance, name="attendance"),
    path("training/sessions/<uuid:session_id>/evidence.csv", views.session_csv, name="session_csv"),
    path("training/sessions/<uuid:session_id>/evidence.pdf", views.session_pdf, name="session_pdf"),
    path("training/quarters/<str:quarter>/evidence.csv", views.quarter_csv, name="quarter_csv"),
    path("training/quarters/<str:quarter>/evidence.pdf", views.quarter_pdf, name="quarter_pdf"),
    path("training/mine/", views.mine, name="mine"),
    path("training/mine/<uuid:session_id>/check-in/", views.check_in, name="check_in"),
    path("training/mine/<uuid:session_id>/quiz/", views.take, name="take"),
]
