/**
 * The Link UI document served at `/link/ui` inside the overlay iframe. Script and styles are
 * separate resources relative to the page (`ui.js`, bundled from `browser/ui.ts`, and `ui.css`)
 * so the page runs under a strict Content-Security-Policy with no inline code.
 */
export const UI_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Plaid Link (emulator)</title>
<link rel="stylesheet" href="ui.css">
<script src="ui.js" defer></script>
</head>
<body>
<div class="backdrop">
  <div class="modal" role="dialog" aria-modal="true" aria-labelledby="view-title">
    <header>
      <button type="button" id="back" class="icon" aria-label="Back" hidden>&#8592;</button>
      <span class="brand">Plaid <span class="tag">emulator</span></span>
      <button type="button" id="close" class="icon" aria-label="Exit">&#215;</button>
    </header>
    <main id="view"></main>
    <div id="live" class="sr-only" aria-live="polite"></div>
  </div>
</div>
</body>
</html>
`;

export const UI_CSS = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; background: transparent; }
.backdrop { position: fixed; inset: 0; background: rgba(17, 24, 39, 0.55); display: flex; align-items: center; justify-content: center; padding: 16px; }
.modal { background: #fff; color: #111827; width: 100%; max-width: 400px; max-height: 100%; overflow: auto; border-radius: 16px; box-shadow: 0 20px 50px rgba(0,0,0,.3); padding: 16px 24px 24px; }
header { display: flex; align-items: center; justify-content: space-between; margin-bottom: 8px; }
.brand { font-weight: 700; margin: 0 auto; }
.tag { font-weight: 400; font-size: 12px; background: #eef2ff; color: #3730a3; border-radius: 6px; padding: 1px 6px; }
button { font: inherit; cursor: pointer; }
button.icon { background: none; border: 0; font-size: 22px; width: 36px; height: 36px; border-radius: 8px; color: #374151; }
button.icon[hidden] { display: inline-block; visibility: hidden; }
h1 { font-size: 20px; margin: 8px 0 12px; }
h1:focus { outline: none; }
:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
.field { display: flex; flex-direction: column; gap: 4px; margin: 12px 0; }
label { font-weight: 600; font-size: 14px; }
input[type=text], input[type=password], input[type=search] { font: inherit; padding: 10px 12px; border: 1px solid #9ca3af; border-radius: 8px; }
button.primary, button.secondary { display: block; width: 100%; padding: 12px; border-radius: 10px; margin-top: 12px; font-weight: 600; }
button.primary { background: #111827; color: #fff; border: 0; }
button.secondary { background: #fff; color: #111827; border: 1px solid #9ca3af; }
.institutions { list-style: none; padding: 0; margin: 8px 0; display: flex; flex-direction: column; gap: 6px; }
.institution { display: flex; align-items: center; gap: 12px; width: 100%; padding: 10px; background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; text-align: left; }
.institution:hover { background: #f9fafb; }
.institution .name { flex: 1; }
.badge { font-size: 12px; background: #fef3c7; color: #92400e; border-radius: 6px; padding: 2px 6px; }
.logo { border-radius: 8px; flex: none; }
.logo-blank { display: inline-block; width: 32px; height: 32px; }
.inst-head { display: flex; align-items: center; gap: 12px; }
fieldset { border: 0; padding: 0; margin: 12px 0; }
legend { font-weight: 600; margin-bottom: 8px; }
.choice { display: block; font-weight: 400; margin: 6px 0; }
.account { display: grid; grid-template-columns: auto 1fr auto; gap: 2px 10px; align-items: center; padding: 10px; border: 1px solid #e5e7eb; border-radius: 10px; margin: 6px 0; font-weight: 400; }
.account .subtype { grid-column: 2; color: #6b7280; font-size: 13px; }
.hint { font-size: 12px; color: #6b7280; margin-top: 16px; }
.code { font-family: ui-monospace, monospace; font-size: 13px; color: #6b7280; }
.empty { color: #6b7280; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (prefers-reduced-motion: no-preference) { .modal { animation: rise .15s ease-out; } }
@keyframes rise { from { transform: translateY(12px); opacity: 0; } }
`;
