/** Search, account and date filters as a plain GET form: the URL holds the filters, no JavaScript needed. */
export function TransactionFilters({ accounts, values }: { accounts: Array<{ id: string; label: string }>; values: { q: string; account: string; from: string; to: string } }) {
  return (
    <form className="filters card" method="get" action="/transactions" role="search" aria-label="Filter transactions">
      <label>
        Search
        <input type="search" name="q" defaultValue={values.q} placeholder="Merchant or description" maxLength={100} />
      </label>
      <label>
        Account
        <select name="account" defaultValue={values.account}>
          <option value="">All accounts</option>
          {accounts.map((a) => <option key={a.id} value={a.id}>{a.label}</option>)}
        </select>
      </label>
      <label>
        From
        <input type="date" name="from" defaultValue={values.from} />
      </label>
      <label>
        To
        <input type="date" name="to" defaultValue={values.to} />
      </label>
      <div className="filter-buttons">
        <button type="submit">Apply</button>
        <a href="/transactions" className="button-link secondary">Clear</a>
      </div>
    </form>
  );
}
