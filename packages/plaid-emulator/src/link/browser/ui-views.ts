import type { LinkAccount, LinkInstitutionView } from '../backend';
import type { MfaPrompt } from '../mfa';

/**
 * The Link UI's views. Each `view<Name>(data, actions)` returns the nodes of one pane; `h()` builds
 * elements with text content only (never innerHTML), so names and error messages from the server
 * cannot inject markup.
 */
export type ViewName = 'SELECT_INSTITUTION' | 'CREDENTIAL' | 'MFA' | 'SELECT_ACCOUNT' | 'OAUTH' | 'LOADING' | 'CONNECTED' | 'ERROR' | 'EXIT';

export interface PlaidErrorView { error_type: string; error_code: string; error_message: string; display_message: string | null }

/** What a view may show: the common fields, plus the one its transition passed. */
export interface ViewData {
  institution: LinkInstitutionView | null;
  isUpdateMode: boolean;
  clientName: string;
  institutions?: LinkInstitutionView[];
  mfa?: MfaPrompt;
  accounts?: LinkAccount[];
  error?: PlaidErrorView;
  canRetry?: boolean;
}

export interface Actions {
  announce(text: string): void;
  search(query: string): void;
  selectInstitution(inst: LinkInstitutionView): void;
  submitCredentials(username: string, password: string): void;
  submitMfa(answers: string[]): void;
  selectAccounts(ids: string[]): void;
  openOauth(): void;
  handoff(): void;
  retry(): void;
  back(): void;
  confirmExit(): void;
  stay(): void;
  exit(): void;
}

type View = (d: ViewData, a: Actions) => Node[];
type Child = Node | string | null | undefined | false;

/** A field the view cannot do without (a transition always passes it). */
function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`view data lacks ${what}`);
  return value;
}

export function h(tag: string, attrs?: Record<string, unknown> | null, children?: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.indexOf('on') === 0) el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children || []) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

export function title(text: string): HTMLElement {
  return h('h1', { id: 'view-title', tabindex: '-1', text });
}

function hint(text: string): HTMLElement {
  return h('p', { class: 'hint', text: `Sandbox: ${text}` });
}

function logo(inst: LinkInstitutionView, size: number): HTMLElement {
  if (!inst.logo) return h('span', { class: 'logo logo-blank', style: `background:${inst.primary_color || '#888'}`, 'aria-hidden': 'true' });
  return h('img', { class: 'logo', src: `data:image/png;base64,${inst.logo}`, alt: '', width: size, height: size });
}

function field(id: string, label: string, attrs: Record<string, unknown>): HTMLElement {
  return h('div', { class: 'field' }, [
    h('label', { for: id, text: label }),
    h('input', Object.assign({ id, name: id, required: true }, attrs)),
  ]);
}

function onSubmit(fn: (form: HTMLFormElement) => void): (e: Event) => void {
  return (e) => { e.preventDefault(); fn(e.target as HTMLFormElement); };
}

/** A form control's value by name (an input, or a radio group's checked value). */
function valueOf(form: HTMLFormElement, name: string): string {
  const el = form.elements.namedItem(name) as HTMLInputElement | RadioNodeList | null;
  return el ? String(el.value || '') : '';
}

const viewSelectInstitution: View = (d, a) => {
  const institutions = required(d.institutions, 'institutions');
  const list = h('ul', { class: 'institutions', 'aria-label': 'Institutions' });
  const empty = h('p', { class: 'empty', hidden: true, text: 'No institutions match your search.' });
  function fill(query: string) {
    const q = query.trim().toLowerCase();
    list.replaceChildren();
    const shown = institutions.filter((i) => i.name.toLowerCase().indexOf(q) >= 0);
    for (const inst of shown) {
      const badge = inst.health === 'HEALTHY' ? null : h('span', { class: 'badge', text: inst.health === 'DOWN' ? 'Down' : 'Degraded' });
      list.appendChild(h('li', {}, [h('button', { type: 'button', class: 'institution', onclick: () => a.selectInstitution(inst) },
        [logo(inst, 32), h('span', { class: 'name', text: inst.name }), badge])]));
    }
    empty.hidden = shown.length > 0;
  }
  fill('');
  const search = h('input', { id: 'search', type: 'search', autocomplete: 'off', 'data-autofocus': true,
    oninput: (e: Event) => { const q = (e.target as HTMLInputElement).value; fill(q); a.search(q); } });
  return [title('Select your bank'), h('div', { class: 'field' }, [h('label', { for: 'search', text: 'Search institutions' }), search]), list, empty];
};

const viewCredential: View = (d, a) => {
  const inst = required(d.institution, 'institution');
  return [
    h('div', { class: 'inst-head' }, [logo(inst, 48), title(`Log in to ${inst.name}`)]),
    h('p', { text: d.isUpdateMode ? `Your login needs to be updated. Enter your credentials for ${inst.name}.` : `Enter your ${inst.name} credentials.` }),
    h('form', { novalidate: true, onsubmit: onSubmit((f) => {
      const u = valueOf(f, 'username');
      const p = valueOf(f, 'password');
      if (!u || !p) {
        a.announce('Enter both your username and password.');
        (f.elements.namedItem(u ? 'password' : 'username') as HTMLInputElement).focus();
        return;
      }
      a.submitCredentials(u, p);
    }) }, [
      field('username', 'Username', { type: 'text', autocomplete: 'username', 'data-autofocus': true }),
      field('password', 'Password', { type: 'password', autocomplete: 'current-password' }),
      h('button', { type: 'submit', class: 'primary', text: 'Submit' }),
    ]),
    hint('user_good / pass_good; error_<CODE>, mfa_device, mfa_questions_<n>_<m>, mfa_selections'),
  ];
};

const viewMfa: View = (d, a) => {
  const p = required(d.mfa, 'mfa');
  const inputs = p.questions.map((q, i) => {
    const id = `mfa-${i}`;
    if (q.choices) {
      return h('fieldset', {}, [h('legend', { text: q.text }), ...q.choices.map((c, k) =>
        h('label', { class: 'choice' }, [h('input', { type: 'radio', name: id, value: c, required: true, 'data-autofocus': k === 0 }), ` ${c}`]))]);
    }
    return field(id, q.text, { type: 'text', autocomplete: 'one-time-code', 'data-autofocus': i === 0 });
  });
  const heading = p.mfa_type === 'code' ? 'Enter your code' : p.mfa_type === 'selections' ? 'Answer a question' : 'Security questions';
  return [
    title(heading + (p.rounds > 1 ? ` (${p.round} of ${p.rounds})` : '')),
    h('form', { novalidate: true, onsubmit: onSubmit((f) => {
      const answers = p.questions.map((_, i) => valueOf(f, `mfa-${i}`));
      if (answers.some((x) => !x.trim())) { a.announce('Answer every question.'); return; }
      a.submitMfa(answers);
    }) }, [...inputs, h('button', { type: 'submit', class: 'primary', text: 'Submit' })]),
    hint(p.questions.map((q) => q.hint).join(', ')),
  ];
};

const viewSelectAccount: View = (d, a) => {
  const inst = required(d.institution, 'institution');
  const boxes = required(d.accounts, 'accounts').map((acc) => h('label', { class: 'account' }, [
    h('input', { type: 'checkbox', name: 'account', value: acc.id, checked: true }),
    h('span', { class: 'name', text: acc.name }),
    h('span', { class: 'mask' }, acc.mask ? [h('span', { 'aria-hidden': 'true', text: '•••• ' }),
      h('span', { class: 'sr-only', text: 'ending in ' }), acc.mask] : []),
    h('span', { class: 'subtype', text: acc.subtype || acc.type }),
  ]));
  return [
    title('Select accounts'),
    h('p', { text: `${inst.name} will share data from the accounts you select.` }),
    h('form', { onsubmit: onSubmit((f) => {
      const ids = Array.from(f.querySelectorAll<HTMLInputElement>('input[name=account]')).filter((x) => x.checked).map((x) => x.value);
      if (!ids.length) { a.announce('Select at least one account.'); return; }
      a.selectAccounts(ids);
    }) }, [h('fieldset', {}, [h('legend', { class: 'sr-only', text: 'Accounts' }), ...boxes]),
      h('button', { type: 'submit', class: 'primary', 'data-autofocus': true, text: 'Continue' })]),
  ];
};

const viewOauth: View = (d, a) => {
  const inst = required(d.institution, 'institution');
  return [
    h('div', { class: 'inst-head' }, [logo(inst, 48), title(`Continue to ${inst.name}`)]),
    h('p', { text: `You will be sent to ${inst.name} to log in, then brought back here.` }),
    h('button', { type: 'button', class: 'primary', 'data-autofocus': true, onclick: a.openOauth, text: 'Continue to log in' }),
  ];
};

export function viewLoading(): Node[] {
  return [title('Connecting'), h('p', { role: 'status', class: 'spinner', text: 'Connecting to your bank…' })];
}

const viewConnected: View = (d, a) => [title('Success'), h('p', { text: `Your account has been connected to ${d.clientName}.` }),
  h('button', { type: 'button', class: 'primary', 'data-autofocus': true, onclick: a.handoff, text: 'Continue' })];

const viewError: View = (d, a) => {
  const e = required(d.error, 'error');
  return [title('Something went wrong'),
    h('p', { role: 'alert', text: e.display_message || e.error_message }),
    h('p', { class: 'code', text: `${e.error_type} · ${e.error_code}` }),
    d.canRetry ? h('button', { type: 'button', class: 'primary', 'data-autofocus': true, onclick: a.retry, text: 'Try again' }) : null,
    h('button', { type: 'button', class: 'secondary', 'data-autofocus': !d.canRetry, onclick: a.exit, text: 'Exit' })]
    .filter((n): n is HTMLElement => n !== null);
};

const viewExitConfirm: View = (_d, a) => [title('Are you sure you want to exit?'), h('p', { text: 'Your progress will be lost.' }),
  h('button', { type: 'button', class: 'primary', 'data-autofocus': true, onclick: a.exit, text: 'Yes, exit' }),
  h('button', { type: 'button', class: 'secondary', onclick: a.stay, text: 'Stay' })];

export const VIEWS: Record<ViewName, View> = {
  SELECT_INSTITUTION: viewSelectInstitution, CREDENTIAL: viewCredential, MFA: viewMfa, SELECT_ACCOUNT: viewSelectAccount,
  OAUTH: viewOauth, LOADING: viewLoading, CONNECTED: viewConnected, ERROR: viewError, EXIT: viewExitConfirm,
};
