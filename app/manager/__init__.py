"""The manager: the owner's back office (catalogue, customers, tills, figures, settings).

Start it with ``skytill manager`` (:mod:`.cli`, :mod:`.main`). Modules, by what they hold:

- :mod:`.context` -- the shop's documents loaded from the device store and kept durable;
  :mod:`.change_feed` -- their change summaries delivered on the GUI thread
- :mod:`.window` -- the sidebar of sections; one ``*_page`` module per section
- :mod:`.table`, :mod:`.entry_list` -- long tables (filter, sort, refresh by id) with an
  editor beside them; :mod:`.forms` -- validation messages next to their field
- catalogue: :mod:`.catalogue_models`, :mod:`.product_editor`, :mod:`.category_editor`,
  :mod:`.bulk_price`, :mod:`.catalogue_csv` (no Qt) and :mod:`.csv_import_dialog`,
  :mod:`.conflicts_view`
- customers: :mod:`.customer_merge` (no Qt); settings: :mod:`.entry_editor`
- figures: :mod:`.figures` (no Qt) for the dashboard, :mod:`.journal_page` for exports
- relay: :mod:`.relay_connection` (the device sync engine seen from the GUI),
  :mod:`.relay_tills` (owner sign-in, till accounts)
- :mod:`.demo`, :mod:`.screenshots`, :mod:`.strings_fr`
"""
