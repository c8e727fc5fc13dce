from django.urls import path

from mesoclinic.formulary import views

app_name = "formulary"

urlpatterns = [
    path("", views.StockView.as_view(), name="stock"),
    path("lots/new/", views.ReceiveLotView.as_view(), name="receive"),
    path("lots/<int:pk>/", views.LotView.as_view(), name="lot"),
    path("lots/<int:pk>/movements/", views.MovementView.as_view(), name="movement"),
    path("lots/<int:pk>/status/", views.LotStatusView.as_view(), name="lot_status"),
    path("lots/<int:pk>/open-vial/", views.OpenVialView.as_view(), name="open_vial"),
    path("lots/<int:pk>/recipients/", views.RecipientsView.as_view(), name="recipients"),
    path(
        "products/<int:pk>/recipients/",
        views.ProductRecipientsView.as_view(),
        name="product_recipients",
    ),
    path("products/<int:pk>/recall/", views.RecallProductView.as_view(), name="recall_product"),
    path("protocols/", views.ProtocolListView.as_view(), name="protocols"),
    path("protocols/<int:pk>/new-version/", views.NewVersionView.as_view(), name="new_version"),
    path("protocols/versions/<int:pk>/", views.VersionView.as_view(), name="version"),
    path("protocols/versions/<int:pk>/edit/", views.EditVersionView.as_view(), name="edit_version"),
    path(
        "protocols/versions/<int:pk>/<slug:action>/",
        views.VersionActionView.as_view(),
        name="version_action",
    ),
]
