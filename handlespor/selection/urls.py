from django.urls import path

from handlespor.selection import views

app_name = "selection"
urlpatterns = [
    path("<int:year>/vurderinger/", views.review_list, name="reviews"),
    path("<int:year>/vurderinger/<int:pk>/", views.review_detail, name="review"),
]
