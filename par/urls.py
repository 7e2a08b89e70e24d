app_name = "par"

urlpatterns = []
