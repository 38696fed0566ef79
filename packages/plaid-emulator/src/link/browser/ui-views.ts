/**
 * Browser JavaScript: the Link UI's views. Each `view<Name>(data, actions)` returns the nodes of
 * one pane; `h()` builds elements with text content only (never innerHTML), so names and error
 * messages from the server cannot inject markup. Concatenated into `ui.js` with `ui-flow`.
 */
export const UI_VIEWS_JS = String.raw`
function h(tag, attrs, children) {
  var el = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    var v = attrs[k];
    if (v === null || v === undefined || v === false) return;
    if (k.indexOf('on') === 0) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  });
  (children || []).forEach(function (c) {
    if (c === null || c === undefined || c === false) return;
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  });
  return el;
}

function title(text) {
  return h('h1', { id: 'view-title', tabindex: '-1', text: text });
}

function hint(text) {
  return h('p', { class: 'hint', text: 'Sandbox: ' + text });
}

function logo(inst, size) {
  if (!inst.logo) return h('span', { class: 'logo logo-blank', style: 'background:' + (inst.primary_color || '#888'), 'aria-hidden': 'true' });
  return h('img', { class: 'logo', src: 'data:image/png;base64,' + inst.logo, alt: '', width: size, height: size });
}

function field(id, label, attrs) {
  return h('div', { class: 'field' }, [
    h('label', { for: id, text: label }),
    h('input', Object.assign({ id: id, name: id, required: true }, attrs)),
  ]);
}

function onSubmit(fn) {
  return function (e) { e.preventDefault(); fn(e.target); };
}

function viewSelectInstitution(d, a) {
  var list = h('ul', { class: 'institutions', 'aria-label': 'Institutions' });
  var empty = h('p', { class: 'empty', hidden: true, text: 'No institutions match your search.' });
  function fill(query) {
    var q = query.trim().toLowerCase();
    list.replaceChildren();
    var shown = d.institutions.filter(function (i) { return i.name.toLowerCase().indexOf(q) >= 0; });
    shown.forEach(function (inst) {
      var badge = inst.health === 'HEALTHY' ? null : h('span', { class: 'badge', text: inst.health === 'DOWN' ? 'Down' : 'Degraded' });
      list.appendChild(h('li', {}, [h('button', { type: 'button', class: 'institution', onclick: function () { a.selectInstitution(inst); } },
        [logo(inst, 32), h('span', { class: 'name', text: inst.name }), badge])]));
    });
    empty.hidden = shown.length > 0;
  }
  fill('');
  var search = h('input', { id: 'search', type: 'search', autocomplete: 'off', 'data-autofocus': true,
    oninput: function (e) { fill(e.target.value); a.search(e.target.value); } });
  return [title('Select your bank'), h('div', { class: 'field' }, [h('label', { for: 'search', text: 'Search institutions' }), search]), list, empty];
}

function viewCredential(d, a) {
  var inst = d.institution;
  return [
    h('div', { class: 'inst-head' }, [logo(inst, 48), title('Log in to ' + inst.name)]),
    h('p', { text: d.isUpdateMode ? 'Your login needs to be updated. Enter your credentials for ' + inst.name + '.' : 'Enter your ' + inst.name + ' credentials.' }),
    h('form', { novalidate: true, onsubmit: onSubmit(function (f) {
      var u = f.elements.username.value, p = f.elements.password.value;
      if (!u || !p) { a.announce('Enter both your username and password.'); (u ? f.elements.password : f.elements.username).focus(); return; }
      a.submitCredentials(u, p);
    }) }, [
      field('username', 'Username', { type: 'text', autocomplete: 'username', 'data-autofocus': true }),
      field('password', 'Password', { type: 'password', autocomplete: 'current-password' }),
      h('button', { type: 'submit', class: 'primary', text: 'Submit' }),
    ]),
    hint('user_good / pass_good; error_<CODE>, mfa_device, mfa_questions_<n>_<m>, mfa_selections'),
  ];
}

function viewMfa(d, a) {
  var p = d.mfa;
  var inputs = p.questions.map(function (q, i) {
    var id = 'mfa-' + i;
    if (q.choices) {
      return h('fieldset', {}, [h('legend', { text: q.text })].concat(q.choices.map(function (c, k) {
        return h('label', { class: 'choice' }, [h('input', { type: 'radio', name: id, value: c, required: true, 'data-autofocus': k === 0 }), ' ' + c]);
      })));
    }
    return field(id, q.text, { type: 'text', autocomplete: 'one-time-code', 'data-autofocus': i === 0 });
  });
  var heading = p.mfa_type === 'code' ? 'Enter your code' : p.mfa_type === 'selections' ? 'Answer a question' : 'Security questions';
  return [
    title(heading + (p.rounds > 1 ? ' (' + p.round + ' of ' + p.rounds + ')' : '')),
    h('form', { novalidate: true, onsubmit: onSubmit(function (f) {
      var answers = p.questions.map(function (q, i) {
        var el = f.elements['mfa-' + i];
        return el ? String(el.value || '') : '';
      });
      if (answers.some(function (x) { return !x.trim(); })) { a.announce('Answer every question.'); return; }
      a.submitMfa(answers);
    }) }, inputs.concat([h('button', { type: 'submit', class: 'primary', text: 'Submit' })])),
    hint(p.questions.map(function (q) { return q.hint; }).join(', ')),
  ];
}

function viewSelectAccount(d, a) {
  var boxes = d.accounts.map(function (acc) {
    return h('label', { class: 'account' }, [
      h('input', { type: 'checkbox', name: 'account', value: acc.id, checked: true }),
      h('span', { class: 'name', text: acc.name }),
      h('span', { class: 'mask' }, acc.mask ? [h('span', { 'aria-hidden': 'true', text: '•••• ' }),
        h('span', { class: 'sr-only', text: 'ending in ' }), acc.mask] : []),
      h('span', { class: 'subtype', text: acc.subtype || acc.type }),
    ]);
  });
  return [
    title('Select accounts'),
    h('p', { text: d.institution.name + ' will share data from the accounts you select.' }),
    h('form', { onsubmit: onSubmit(function (f) {
      var ids = Array.prototype.filter.call(f.querySelectorAll('input[name=account]'), function (x) { return x.checked; })
        .map(function (x) { return x.value; });
      if (!ids.length) { a.announce('Select at least one account.'); return; }
      a.selectAccounts(ids);
    }) }, [h('fieldset', {}, [h('legend', { class: 'sr-only', text: 'Accounts' })].concat(boxes)),
      h('button', { type: 'submit', class: 'primary', 'data-autofocus': true, text: 'Continue' })]),
  ];
}

function viewOauth(d, a) {
  return [
    h('div', { class: 'inst-head' }, [logo(d.institution, 48), title('Continue to ' + d.institution.name)]),
    h('p', { text: 'You will be sent to ' + d.institution.name + ' to log in, then brought back here.' }),
    h('button', { type: 'button', class: 'primary', 'data-autofocus': true, onclick: a.openOauth, text: 'Continue to log in' }),
  ];
}

function viewLoading() {
  return [title('Connecting'), h('p', { role: 'status', class: 'spinner', text: 'Connecting to your bank…' })];
}

function viewConnected(d, a) {
  return [title('Success'), h('p', { text: 'Your account has been connected to ' + d.clientName + '.' }),
    h('button', { type: 'button', class: 'primary', 'data-autofocus': true, onclick: a.handoff, text: 'Continue' })];
}

function viewError(d, a) {
  var e = d.error;
  return [title('Something went wrong'),
    h('p', { role: 'alert', text: e.display_message || e.error_message }),
    h('p', { class: 'code', text: e.error_type + ' · ' + e.error_code }),
    d.canRetry ? h('button', { type: 'button', class: 'primary', 'data-autofocus': true, onclick: a.retry, text: 'Try again' }) : null,
    h('button', { type: 'button', class: 'secondary', 'data-autofocus': !d.canRetry, onclick: a.exit, text: 'Exit' })];
}

function viewExitConfirm(d, a) {
  return [title('Are you sure you want to exit?'), h('p', { text: 'Your progress will be lost.' }),
    h('button', { type: 'button', class: 'primary', 'data-autofocus': true, onclick: a.exit, text: 'Yes, exit' }),
    h('button', { type: 'button', class: 'secondary', onclick: a.stay, text: 'Stay' })];
}

var VIEWS = {
  SELECT_INSTITUTION: viewSelectInstitution, CREDENTIAL: viewCredential, MFA: viewMfa, SELECT_ACCOUNT: viewSelectAccount,
  OAUTH: viewOauth, LOADING: viewLoading, CONNECTED: viewConnected, ERROR: viewError, EXIT: viewExitConfirm,
};
`;
