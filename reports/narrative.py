"""The paragraphs a report writes from its figures, one function per slot of the document.

Each function takes the report context (`reports.context`) and returns a list of paragraphs (possibly empty). The
sentences are written as an official of Sở Nội vụ would write them: a figure that is zero and says nothing is left
out (never "0 đơn vị"), a workflow state is never named, and a slot with nothing to say returns no paragraph, so
its heading is not printed. Sở Nội vụ may replace any slot by its own text on the draft (`ReportDraft`); the
generated text is then only shown on the draft page as a suggestion.

This module reads nothing from the database: the figures come from the context, which read them through the
selectors.
"""

from django.utils.translation import gettext as _


def number(value):
    """1234 → "1.234"; 88.75 → "88,75" (Vietnamese separators)."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(value):,}".replace(",", ".")


def percent(part, whole):
    """ "86,5%" (one decimal, Vietnamese comma), "" when the whole is zero."""
    if not whole:
        return ""
    text = f"{part * 100 / whole:.1f}"
    return (text[:-2] if text.endswith(".0") else text).replace(".", ",") + "%"


def _join(parts, last=None):
    """ "a, b và c" (the last joiner is "và" unless given)."""
    parts = [part for part in parts if part]
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {last or _('và')} {parts[-1]}"


def _recipients(collectives, individuals):
    """ "2 tập thể và 3 cá nhân", "3 cá nhân", "" — the zero side is not written."""
    return _join([_("%(n)s tập thể") % {"n": number(collectives)} if collectives else "",
                  _("%(n)s cá nhân") % {"n": number(individuals)} if individuals else ""])


# I. Direction -----------------------------------------------------------------------------------------------------


def direction(ctx):
    paragraphs = []
    themes = [theme for theme in ctx["themes"] if theme["published"]]
    if themes:
        listed = "; ".join(_("năm %(year)s là “%(title)s”") % {"year": theme["year"], "title": theme["title"]}
                           for theme in themes)
        paragraphs.append(_("Hằng năm, %(reporter)s hướng dẫn, lựa chọn chủ đề thi đua của Phong trào: %(themes)s.")
                          % {"reporter": ctx["reporter"], "themes": listed})
    return paragraphs


def registration(ctx):
    """The registrations of the period, year by year (the units the plan calls on, and those that registered)."""
    paragraphs = []
    years = [row for row in ctx["participation"] if row["registered"]]
    if len(years) == 1 and len(ctx["participation"]) == 1:
        row = years[0]
        paragraphs.append(_("Năm %(year)s, có %(registered)s/%(units)s cơ quan, đơn vị, địa phương thuộc đối tượng "
                            "thi đua đăng ký tham gia Phong trào (đạt %(share)s).")
                          % {"year": row["year"], "registered": number(row["registered"]),
                             "units": number(row["units"]), "share": percent(row["registered"], row["units"])})
    elif years:
        listed = "; ".join(_("năm %(year)s có %(registered)s/%(units)s cơ quan, đơn vị, địa phương đăng ký (đạt "
                             "%(share)s)") % {"year": row["year"], "registered": number(row["registered"]),
                                              "units": number(row["units"]),
                                              "share": percent(row["registered"], row["units"])}
                           for row in years)
        paragraphs.append(_("Về đăng ký thi đua: %(years)s. Trong cả kỳ, có %(total)s cơ quan, đơn vị, địa phương "
                            "đăng ký tham gia Phong trào.") % {"years": listed,
                                                               "total": number(ctx["registered_units"])})
    else:
        paragraphs.append(_("Trong kỳ, chưa có cơ quan, đơn vị, địa phương đăng ký tham gia Phong trào."))
    return paragraphs


# II. Results of the contents --------------------------------------------------------------------------------------


def results_overview(ctx):
    recorded = sum(row["recorded"] for row in ctx["contents"])
    accepted = sum(row["accepted"] for row in ctx["contents"])
    files = sum(row["files"] for row in ctx["contents"])
    if not recorded:
        return [_("Trong kỳ, chưa có cơ quan, đơn vị gửi kết quả thực hiện các nội dung thi đua kèm minh chứng.")]
    text = _("Trong kỳ, các cơ quan, đơn vị, địa phương đã gửi %(recorded)s thành tích thực hiện các nội dung thi "
             "đua kèm minh chứng") % {"recorded": number(recorded)}
    if accepted:
        text += _("; %(reporter)s đã xem xét, ghi nhận %(accepted)s thành tích đạt yêu cầu") % {
            "reporter": ctx["reporter"], "accepted": number(accepted)}
        if files:
            text += _(" với %(files)s tệp minh chứng") % {"files": number(files)}
    return [text + _(". Kết quả cụ thể theo từng nội dung như sau:")]


def content(ctx, row):
    """What was done under one content, from its figures over the period."""
    commitments, recorded, accepted = row["commitments"], row["recorded"], row["accepted"]
    if not commitments and not recorded:
        return [_("Trong kỳ, chưa có cơ quan, đơn vị đăng ký cam kết hoặc gửi kết quả thực hiện nội dung này.")]
    sentences = []
    if commitments:
        sentences.append(_("Có %(n)s lượt cơ quan, đơn vị, địa phương đăng ký cam kết thực hiện nội dung này.")
                         % {"n": number(commitments)})
    if accepted:
        text = _("%(reporter)s đã ghi nhận %(accepted)s thành tích của %(units)s cơ quan, đơn vị có minh chứng đạt "
                 "yêu cầu") % {"reporter": ctx["reporter"], "accepted": number(accepted), "units": number(row["units"])}
        if row["files"]:
            text += _(" (%(files)s tệp minh chứng)") % {"files": number(row["files"])}
        sentences.append(text + ".")
    waiting = recorded - accepted
    if waiting and accepted:
        sentences.append(_("Ngoài ra, %(n)s thành tích khác đang được xem xét hoặc được đề nghị làm rõ minh chứng.")
                         % {"n": number(waiting)})
    elif waiting:
        sentences.append(_("Các đơn vị đã gửi %(n)s thành tích kèm minh chứng; các thành tích này đang được xem xét "
                           "hoặc được đề nghị làm rõ minh chứng.") % {"n": number(waiting)})
    elif commitments and not recorded:
        sentences.append(_("Đến thời điểm báo cáo, chưa có cơ quan, đơn vị gửi kết quả thực hiện nội dung này kèm "
                           "minh chứng."))
    return [" ".join(sentences)]


def content_trend(ctx, row):
    """The year-by-year comparison of one content (reviews), when at least two years have results."""
    years = [(year, figures["accepted"]) for year, figures in sorted(row["by_year"].items()) if figures["accepted"]]
    if len(years) < 2:
        return []
    (first, low), (last, high) = years[0], years[-1]
    values = {"first": first, "last": last, "low": number(low), "high": number(high)}
    if high > low:
        text = _("Số thành tích được ghi nhận tăng từ %(low)s (năm %(first)s) lên %(high)s (năm %(last)s).")
    elif high < low:
        text = _("Số thành tích được ghi nhận giảm từ %(low)s (năm %(first)s) xuống %(high)s (năm %(last)s).")
    else:
        text = _("Số thành tích được ghi nhận năm %(last)s bằng năm %(first)s (%(high)s thành tích).")
    return [text % values]


def par(ctx):
    latest = {}
    for row in ctx["par"]:
        if row["sheets"]:
            latest[row["group_code"]] = row
    paragraphs = []
    for row in latest.values():
        bands = _join([f"{number(band['n'])} {_('đơn vị xếp loại')} {band['band']}" if index == 0
                       else f"{number(band['n'])} {band['band']}"
                       for index, band in enumerate(b for b in row["bands"] if b["n"])])
        text = _("Năm %(year)s, %(n)s cơ quan, đơn vị thuộc nhóm %(group)s được xác định Chỉ số cải cách hành "
                 "chính") % {"year": row["year"], "n": number(row["sheets"]), "group": row["group"]}
        if row["average"] is not None:
            text += _("; chỉ số bình quân đạt %(average)s%%") % {"average": number(row["average"])}
        if bands:
            text += "; " + bands
        if row["best"]:
            text += _("; dẫn đầu là %(best)s") % {"best": row["best"]}
        paragraphs.append(text + ".")
    return paragraphs


def initiatives(ctx):
    figures = ctx["initiatives"]
    if not figures["total"]:
        return []
    levels = _join([_("%(n)s cấp tỉnh") % {"n": number(figures["provincial"])} if figures["provincial"] else "",
                    _("%(n)s cấp cơ sở") % {"n": number(figures["grassroots"])} if figures["grassroots"] else ""])
    parts = []
    if figures["recognised"]:
        parts.append(_("%(n)s sáng kiến, giải pháp được công nhận") % {"n": number(figures["recognised"])}
                     + (f" ({levels})" if levels else ""))
    if figures["proposed"]:
        parts.append(_("%(n)s sáng kiến, giải pháp đang được xem xét") % {"n": number(figures["proposed"])})
    if figures["refused"]:
        parts.append(_("%(n)s sáng kiến, giải pháp chưa được công nhận") % {"n": number(figures["refused"])})
    text = _("Trong kỳ, các cơ quan, đơn vị, địa phương đã đề xuất %(n)s sáng kiến, giải pháp trong thực hiện nhiệm "
             "vụ cải cách hành chính") % {"n": number(figures["total"])}
    if parts:
        text += _("; trong đó ") + "; ".join(parts)
    return [text + "."]


# III. Inspection and exemplary models -----------------------------------------------------------------------------


def inspection(ctx):
    paragraphs = []
    figures = ctx["inspections"]
    if figures["inspections"]:
        text = _("Trong kỳ, %(reporter)s đã tổ chức %(n)s cuộc kiểm tra công tác cải cách hành chính và việc thực "
                 "hiện Phong trào thi đua tại %(units)s cơ quan, đơn vị, địa phương") % {
            "reporter": ctx["reporter"], "n": number(figures["inspections"]), "units": number(figures["units"])}
        if figures["tasks"]:
            text += _("; qua kiểm tra, đã đề nghị các đơn vị khắc phục %(n)s nội dung") % {
                "n": number(figures["tasks"])}
            if figures["tasks_done"] == figures["tasks"]:
                text += _(", đến thời điểm báo cáo các đơn vị đã khắc phục xong")
            elif figures["tasks_done"]:
                text += _(", đến thời điểm báo cáo đã khắc phục xong %(n)s nội dung") % {
                    "n": number(figures["tasks_done"])}
            else:
                text += _(", các đơn vị đang tiếp tục khắc phục")
        paragraphs.append(text + ".")
    exemplary = ctx["exemplary"]
    if exemplary["total"]:
        kinds = _join([f"{number(row['n'])} {row['kind'].lower()}" for row in exemplary["by_kind"] if row["n"]])
        paragraphs.append(_("Công tác phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến: trong kỳ, %(reporter)s đã "
                            "công bố %(n)s gương điển hình tiên tiến (%(kinds)s), gồm:")
                          % {"reporter": ctx["reporter"], "n": number(exemplary["total"]), "kinds": kinds})
    return paragraphs


# IV. Commendation ---------------------------------------------------------------------------------------------------


def _decisions(decisions):
    return _join([_("Quyết định số %(number)s ngày %(date)s") % {"number": row["number"],
                                                               "date": f"{row['date']:%d/%m/%Y}"}
                  for row in decisions])


def commendation(ctx):
    """The awards decided in the period (the one selector `awarded_in`), with their decisions and appendices."""
    total = ctx["awards_total"]
    if not total["collectives"] and not total["individuals"]:
        return [_("%(period)s, chưa có quyết định khen thưởng tập thể, cá nhân trong Phong trào thi đua.")
                % {"period": ctx["period_phrase"]}]
    text = _("%(period)s, trên cơ sở đề nghị của %(reporter)s, cấp có thẩm quyền đã khen thưởng %(whom)s có thành "
             "tích xuất sắc trong Phong trào thi đua") % {
        "period": ctx["period_phrase"], "reporter": ctx["reporter"],
        "whom": _recipients(total["collectives"], total["individuals"])}
    if ctx["award_decisions"]:
        text += f" ({_decisions(ctx['award_decisions'])})"
    references = [ctx["appendix_numbers"][key] for key in ("awarded_collectives", "awarded_individuals")
                  if key in ctx["appendix_numbers"]]
    text += _("; kết quả theo hình thức và cấp khen thưởng như sau")
    if references:
        text += _(" (danh sách tại Phụ lục %(numbers)s kèm theo)") % {"numbers": ", ".join(references)}
    return [text + ":"]


def dossiers(ctx):
    figures = ctx["dossier_figures"]
    if not figures["submitted"]:
        return []
    parts = []
    if figures["forwarded"]:
        text = _("đã thẩm định, đề nghị khen thưởng %(n)s hồ sơ") % {"n": number(figures["forwarded"])}
        if figures["decided"]:
            text += _(" (trong đó %(n)s hồ sơ đã có quyết định khen thưởng trong kỳ)") % {
                "n": number(figures["decided"])}
        parts.append(text)
    if figures["refused"]:
        parts.append(_("%(n)s hồ sơ chưa đủ điều kiện, tiêu chuẩn khen thưởng") % {"n": number(figures["refused"])})
    if figures["pending"]:
        parts.append(_("%(n)s hồ sơ đang được thẩm định hoặc bổ sung, hoàn thiện") % {"n": number(figures["pending"])})
    if figures["withdrawn"]:
        parts.append(_("%(n)s hồ sơ do đơn vị rút lại") % {"n": number(figures["withdrawn"])})
    text = _("%(reporter)s đã tiếp nhận %(n)s hồ sơ đề nghị khen thưởng của các cơ quan, đơn vị, địa phương") % {
        "reporter": ctx["reporter"], "n": number(figures["submitted"])}
    if parts:
        text += "; " + "; ".join(parts)
    return [text + "."]


def nominations(ctx):
    """What Sở Nội vụ proposes that was not decided when the period closed (never what was already awarded)."""
    groups = ctx["proposals_by_form"]
    if not groups:
        return []
    listed = "; ".join(_("%(form)s cho %(whom)s") % {"form": row["form"],
                                                       "whom": _recipients(row["collectives"], row["individuals"])}
                       for row in groups)
    text = _("%(reporter)s đã thẩm định, tổng hợp và đề nghị khen thưởng: %(listed)s") % {
        "reporter": ctx["reporter"], "listed": listed}
    number_ = ctx["appendix_numbers"].get("proposals")
    if number_:
        text += _(" (danh sách tại Phụ lục %(number)s kèm theo)") % {"number": number_}
    return [text + "."]


# VI. Proposals -----------------------------------------------------------------------------------------------------


def proposals(ctx):
    """The request to the competent authorities to decide the proposed awards (the generated "kiến nghị")."""
    by_authority = {}
    for row in ctx["proposals_by_form"]:
        entry = by_authority.setdefault(row["authority"], {"collectives": 0, "individuals": 0})
        entry["collectives"] += row["collectives"]
        entry["individuals"] += row["individuals"]
    number_ = ctx["appendix_numbers"].get("proposals")
    paragraphs = []
    for authority, entry in by_authority.items():
        text = _("Đề nghị %(authority)s xem xét, khen thưởng %(whom)s có thành tích xuất sắc trong Phong trào thi "
                 "đua") % {"authority": authority, "whom": _recipients(entry["collectives"], entry["individuals"])}
        if number_:
            text += _(" (Phụ lục %(number)s kèm theo)") % {"number": number_}
        paragraphs.append(text + ".")
    return paragraphs


def closing(ctx):
    subject = ctx["subject"]
    return _("Trên đây là báo cáo %(subject)s, %(reporter)s kính báo cáo %(recipient)s xem xét, chỉ đạo./.") % {
        "subject": subject[:1].lower() + subject[1:], "reporter": ctx["reporter"],
        "recipient": ctx["campaign"]["issuer"]}
