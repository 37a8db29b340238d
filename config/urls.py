from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.forms import SignInForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("plans/", include("planning.urls")),
    path("budget/", include("budget.urls")),
    path("internal-control/", include("internalcontrol.urls")),
    path("", include("followup.urls")),
    path("", include("core.urls")),
]
