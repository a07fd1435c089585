"""The web portal (`sheetkit serve`): schools hand in plans, the managing body follows the round.

A wing on top of ``sheetkit.jobs``: each upload is read once in an isolated
worker (``jobs.IsolatedPool``), its findings and reduced roll-up result are
stored with the file (under its digest), and a roll-up of a round only
assembles stored results (``jobs.merge_stored``). Built on Django; nothing
outside this package imports Django, so the rest of sheetkit runs without it.
"""

# What to tell a user whose sheetkit was installed without the portal's extra.
INSTALL_HINT = (
    'Trang web cần cài thêm phần portal của sheetkit: chạy  pip install "sheetkit[portal]"  '
    '(hoặc  pip install -e ".[portal]"  trong thư mục mã nguồn) rồi chạy lại lệnh.'
)
