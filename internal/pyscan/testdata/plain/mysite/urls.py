from django.conf.urls import url
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from shop import views as shop_views

urlpatterns = [
    url(r"^admin/", admin.site.urls),
    re_path(r"^shop/(?P<slug>[-\w]+)/$", shop_views.detail, name="shop-detail"),
]
urlpatterns += i18n_patterns(
    path("about/", shop_views.about),
    prefix_default_language=False,
)
urlpatterns = urlpatterns + [path("", include("shop.urls"))]
