"""Demo data of the reports: a filled draft of the interim review (sơ kết 2022 - 2023) and one of the final review
(tổng kết 2022 - 2025) of Plan 584/KH-UBND, with the narrative Sở Nội vụ writes, and sample signers of Sở Nội vụ
when none is declared.

The drafts are `sample=True`: the draft page says they are sample data; the documents built from them do not (a
document never carries a demo marker). The narrative is written as Sở Nội vụ Đắk Nông would write it; the facts it
cites about the province are those of the shared research notes (8 district-level units and 71 communes; PAR
Index 84.66 % in 2022, 37th of 63, and 85.42 % in 2023, 51st; two-tier local government from 01/07/2025); the rest
(figures of each content, awards) comes from the application's data when the report is built. The drafts are left
unregistered: registering takes a number of the real register. Idempotent: a sample draft that is still
unregistered is rewritten, any other draft is left as it is.
"""

import datetime

from django.db import transaction

from campaigns.models import Campaign
from core import audit
from core import register as document_register
from core.models import Signer, SignerPosition

from .context import default_recipients, issuing_body
from .models import ReportDraft

NUMBER = "584/KH-UBND"
SAMPLE_SOURCE = "Dữ liệu mẫu (không phải quyết định bổ nhiệm thật)"
FINAL_ISSUED_ON = datetime.date(2025, 12, 15)  # the planned date of the final review (Q4/2025), not registered
SIGNERS = [("Lê Văn Minh", SignerPosition.HEAD), ("Trần Thị Thanh Hương", SignerPosition.DEPUTY)]

INTERIM = {
    "direction": (
        "Ngay sau khi Ủy ban nhân dân tỉnh ban hành Kế hoạch số 584/KH-UBND ngày 14/10/2022, Sở Nội vụ đã ban hành "
        "văn bản hướng dẫn các cơ quan, đơn vị, địa phương tổ chức phát động, đăng ký thi đua và tham mưu Ủy ban nhân "
        "dân tỉnh lồng ghép nội dung Phong trào vào Kế hoạch cải cách hành chính năm 2023.\n"
        "Các sở, ban, ngành, Ủy ban nhân dân các huyện, thành phố Gia Nghĩa đã tổ chức phát động Phong trào tại cơ "
        "quan, đơn vị, xây dựng kế hoạch thực hiện và đăng ký chỉ tiêu thi đua cụ thể, gắn với các tiêu chí của Bộ "
        "chỉ số đánh giá, xếp hạng kết quả cải cách hành chính. Công tác tuyên truyền được thực hiện trên Cổng Thông "
        "tin điện tử tỉnh, các phương tiện thông tin đại chúng và hệ thống thông tin cơ sở."),
    "strengths": (
        "Phong trào được các cơ quan, đơn vị, địa phương hưởng ứng tích cực; nhận thức, trách nhiệm của người đứng "
        "đầu trong lãnh đạo, chỉ đạo công tác cải cách hành chính có chuyển biến rõ nét.\n"
        "Việc đăng ký thi đua, cập nhật kết quả và minh chứng được thực hiện tập trung, giúp Sở Nội vụ theo dõi, tổng "
        "hợp kịp thời. Chỉ số cải cách hành chính năm 2022 của tỉnh đạt 84,66%, xếp thứ 37/63 tỉnh, thành phố, tăng 4 "
        "bậc so với năm 2021."),
    "limitations": (
        "Một số cơ quan, đơn vị, địa phương triển khai Phong trào còn hình thức, chưa gắn với nhiệm vụ chuyên môn; "
        "việc cập nhật minh chứng còn chậm, chưa đầy đủ.\n"
        "Số sáng kiến, giải pháp cải cách hành chính được công nhận còn ít; tỷ lệ hồ sơ trực tuyến toàn trình ở cấp "
        "xã còn thấp."),
    "causes": (
        "Nguyên nhân khách quan: địa bàn rộng, hạ tầng công nghệ thông tin ở một số xã vùng sâu, vùng xa còn hạn chế; "
        "khối lượng công việc chuyên môn lớn trong khi biên chế được giao giảm theo lộ trình tinh giản.\n"
        "Nguyên nhân chủ quan: một số người đứng đầu chưa quan tâm đúng mức đến công tác thi đua, khen thưởng; công "
        "chức làm công tác thi đua, khen thưởng ở cơ sở phải kiêm nhiệm nhiều việc."),
    "lessons": (
        "Người đứng đầu phải trực tiếp chỉ đạo và gắn kết quả Phong trào với việc đánh giá, xếp loại cơ quan, đơn vị, "
        "cá nhân hằng năm.\n"
        "Nội dung thi đua phải cụ thể, đo đếm được, gắn với các tiêu chí của Bộ chỉ số cải cách hành chính; kịp thời "
        "phát hiện, biểu dương, nhân rộng các điển hình, cách làm hay."),
    "next_steps": (
        "Tiếp tục quán triệt, triển khai đồng bộ các nội dung của Kế hoạch số 584/KH-UBND; tập trung cải thiện Chỉ số "
        "cải cách hành chính và Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà "
        "nước năm 2024, 2025.\n"
        "Đẩy mạnh chuyển đổi số, nâng tỷ lệ hồ sơ trực tuyến toàn trình; tăng cường kiểm tra, đôn đốc các cơ quan, "
        "đơn vị chậm triển khai; chuẩn bị tổng kết Phong trào vào Quý IV/2025."),
    "proposals": (
        "Đề nghị Ủy ban nhân dân tỉnh chỉ đạo các cơ quan, đơn vị, địa phương tiếp tục gắn kết quả Phong trào với "
        "đánh giá, xếp loại người đứng đầu; quan tâm bố trí kinh phí từ Quỹ Thi đua, khen thưởng để kịp thời khen "
        "thưởng các tập thể, cá nhân có thành tích xuất sắc."),
}

FINAL = {
    "situation": (
        "Tỉnh Đắk Nông có 08 đơn vị hành chính cấp huyện (thành phố Gia Nghĩa và 07 huyện) với 71 xã, phường, thị "
        "trấn; đời sống của một bộ phận nhân dân vùng sâu, vùng xa, vùng đồng bào dân tộc thiểu số còn nhiều khó "
        "khăn, hạ tầng viễn thông, công nghệ thông tin chưa đồng bộ.\n"
        "Thuận lợi: Phong trào được Tỉnh ủy, Hội đồng nhân dân, Ủy ban nhân dân tỉnh quan tâm lãnh đạo, chỉ đạo; cải "
        "cách hành chính được xác định là một trong các nhiệm vụ trọng tâm của tỉnh; đội ngũ cán bộ, công chức ngày "
        "càng được nâng cao về trình độ và khả năng ứng dụng công nghệ thông tin.\n"
        "Khó khăn: năm 2025, tỉnh thực hiện sắp xếp tổ chức bộ máy và tổ chức chính quyền địa phương hai cấp (từ ngày "
        "01/7/2025 không tổ chức cấp huyện); nhiều cơ quan, đơn vị thay đổi về tổ chức, nhân sự, ảnh hưởng đến việc "
        "theo dõi, tổng hợp kết quả Phong trào."),
    "direction": (
        "Sở Nội vụ đã tham mưu Ủy ban nhân dân tỉnh ban hành Kế hoạch số 584/KH-UBND và hướng dẫn các cơ quan, đơn vị, "
        "địa phương tổ chức phát động, đăng ký thi đua; hằng năm lồng ghép nội dung Phong trào vào Kế hoạch cải cách "
        "hành chính của tỉnh và tổ chức sơ kết Phong trào vào tháng 12/2023.\n"
        "Các sở, ban, ngành, Ủy ban nhân dân các huyện, thành phố Gia Nghĩa và các xã, phường, thị trấn đã cụ thể hóa "
        "Phong trào bằng kế hoạch của cơ quan, đơn vị, gắn với chỉ tiêu của Bộ chỉ số cải cách hành chính; công tác "
        "tuyên truyền được duy trì thường xuyên trên Cổng Thông tin điện tử tỉnh và các phương tiện thông tin đại "
        "chúng."),
    "notes": {
        "1.assessment": ("Nội dung (1) cơ bản đạt yêu cầu của Kế hoạch: người đứng đầu các cơ quan, đơn vị trực tiếp "
                         "chỉ đạo, ban hành kế hoạch cải cách hành chính hằng năm đúng thời hạn; việc đối thoại với "
                         "người dân, doanh nghiệp về thủ tục hành chính được duy trì."),
        "2.assessment": ("Nội dung (2) đạt yêu cầu: thời gian giải quyết hồ sơ được rút ngắn, việc công khai thủ tục "
                         "hành chính được thực hiện đầy đủ tại bộ phận một cửa các cấp."),
        "5.assessment": ("Nội dung (5) có chuyển biến nhưng chưa đồng đều: chữ ký số được triển khai rộng rãi, song tỷ "
                         "lệ hồ sơ trực tuyến toàn trình ở cấp xã chưa đạt chỉ tiêu đề ra."),
    },
    "strengths": (
        "Sau hơn 03 năm triển khai, Phong trào đã tạo khí thế thi đua sôi nổi trong các cơ quan, đơn vị, địa phương, "
        "góp phần nâng cao ý thức trách nhiệm của tập thể, cá nhân trong thực hiện nhiệm vụ cải cách hành chính, đúng "
        "mục đích Kế hoạch đề ra.\n"
        "Chỉ số cải cách hành chính của tỉnh năm 2022 đạt 84,66%, năm 2023 đạt 85,42%; nhiều cách làm hay, mô hình "
        "hiệu quả trong giải quyết thủ tục hành chính được phát hiện và nhân rộng."),
    "limitations": (
        "Năm 2023, Chỉ số cải cách hành chính của tỉnh tăng về điểm nhưng giảm 14 bậc, xếp thứ 51/63 tỉnh, thành phố.\n"
        "Phong trào ở một số đơn vị cấp xã chưa thường xuyên; số sáng kiến, giải pháp được công nhận cấp tỉnh còn ít; "
        "việc cập nhật minh chứng kết quả thực hiện có lúc chưa kịp thời."),
    "causes": (
        "Việc sắp xếp tổ chức bộ máy, đơn vị hành chính trong năm 2025 làm thay đổi đầu mối theo dõi Phong trào ở "
        "nhiều cơ quan, đơn vị.\n"
        "Một số người đứng đầu chưa thực sự quan tâm đến công tác thi đua, khen thưởng; nguồn lực cho chuyển đổi số ở "
        "cơ sở còn hạn chế."),
    "lessons": (
        "Phong trào chỉ đạt kết quả khi người đứng đầu trực tiếp chỉ đạo và chịu trách nhiệm về kết quả cải cách hành "
        "chính của cơ quan, đơn vị.\n"
        "Nội dung thi đua cần gắn với chỉ tiêu cụ thể, đo đếm được; kết quả thi đua phải là căn cứ để đánh giá, xếp "
        "loại và khen thưởng kịp thời, đúng người, đúng thành tích."),
    "next_steps": (
        "Tiếp tục phát huy kết quả đạt được, duy trì phong trào thi đua về cải cách hành chính trong giai đoạn 2026 - "
        "2030, phù hợp với tổ chức bộ máy sau sắp xếp và mô hình chính quyền địa phương hai cấp.\n"
        "Tập trung cải thiện Chỉ số cải cách hành chính, Chỉ số hài lòng của người dân, tổ chức; đẩy mạnh chuyển đổi "
        "số, cung cấp dịch vụ công trực tuyến toàn trình."),
    "proposals": (
        "Đề nghị Ủy ban nhân dân tỉnh tiếp tục phát động phong trào thi đua về cải cách hành chính giai đoạn 2026 - "
        "2030, lấy kết quả thực hiện Bộ chỉ số cải cách hành chính làm căn cứ bình xét thi đua, khen thưởng hằng năm."),
}


def _signers(body):
    if body is None or Signer.objects.filter(body=body).exists():
        return 0
    for name, position in SIGNERS:
        Signer.objects.create(body=body, full_name=name, position=position, valid_from=datetime.date(2021, 1, 1),
                              source=SAMPLE_SOURCE)
    return len(SIGNERS)


def _draft(campaign, kind, texts, signer, issued_on=None):
    draft = ReportDraft.objects.filter(campaign=campaign, kind=kind, year=None).first()
    if draft is not None and (not draft.sample or draft.is_registered):
        return draft  # a real draft, or one already registered: never rewritten
    fields = {name: value for name, value in texts.items() if name != "notes"}
    fields.update(content_notes=texts.get("notes", {}), sample=True, signer=signer,
                  recipients=default_recipients(kind), issued_on=issued_on)
    if draft is None:
        return ReportDraft.objects.create(campaign=campaign, kind=kind, **fields)
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.save()
    return draft


@transaction.atomic
def build():
    campaign = Campaign.objects.filter(number=NUMBER).select_related("organiser").first()
    if campaign is None or campaign.organiser is None:
        return ""
    body = document_register.body(campaign.organiser.code)
    made = _signers(body)
    signers = {s.position: s for s in Signer.objects.filter(body=body)} if body else {}
    interim = _draft(campaign, "interim", INTERIM, signers.get(SignerPosition.DEPUTY))
    # The final review comes after the 1/7/2025 restructuring: the body in force then (Sở Nội vụ tỉnh Lâm Đồng
    # when the demo carries the restructuring) issues and signs it.
    final_body = issuing_body(campaign, FINAL_ISSUED_ON) or body
    if final_body != body:
        made += _signers(final_body)
    final_signers = {s.position: s for s in Signer.objects.filter(body=final_body)} if final_body else {}
    final = _draft(campaign, "final", FINAL, final_signers.get(SignerPosition.HEAD), issued_on=FINAL_ISSUED_ON)
    audit.record_bulk(actor=None, action="demo_load", label="Dự thảo báo cáo sơ kết, tổng kết (dữ liệu mẫu)",
                      changes={"drafts": [interim.pk, final.pk], "signers": made})
    return (f"Báo cáo {NUMBER}: dự thảo sơ kết và tổng kết đã viết phần nhận định (dữ liệu mẫu)"
            + (f", {made} người ký mẫu của {body.name}." if made else "."))
