from django.urls import URLPattern, URLResolver, path

from harbour.data_requests import views

app_name = "data_requests"

urlpatterns: list[URLPattern | URLResolver] = [
    path("data-requests/", views.request_list, name="list"),
    path("data-requests/new/", views.new_request, name="new"),
    path("data-requests/mine/", views.mine, name="mine"),
    path("data-requests/disclosures/", views.disclosures, name="disclosures"),
    path("data-requests/log-book/", views.log_book, name="logbook"),
    path("data-requests/log-book.csv", views.log_book_csv, name="logbook_csv"),
    path("data-requests/<uuid:request_id>/", views.request_detail, name="detail"),
    path("data-requests/<uuid:request_id>/delay-notice/", views.delay_notice, name="delay"),
    path("data-requests/<uuid:request_id>/complete/", views.complete, name="complete"),
    path("data-requests/<uuid:request_id>/refuse/", views.refuse, name="refuse"),
    path("data-requests/<uuid:request_id>/withdraw/", views.withdraw, name="withdraw"),
]
