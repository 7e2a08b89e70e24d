from .urls_plan import urlpatterns as plan_urls
from .urls_work import urlpatterns as work_urls

app_name = "campaigns"

urlpatterns = plan_urls + work_urls
