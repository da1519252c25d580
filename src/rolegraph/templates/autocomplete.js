// rolegraph career explorer: an accessible autocomplete for the role and role level fields (progressive
// enhancement, after the GOV.UK accessible-autocomplete pattern). Without this script the field is a plain text
// box with the browser's own suggestion list (<datalist>). With it, the field is an ARIA combobox whose listbox
// shows each position once with its role and grades; arrow keys move, Enter or a click chooses, Escape closes,
// and a status line says how many match. The names come from the page's own <datalist>: nothing is fetched.
(() => {
  'use strict';
  const norm = s => s.toLocaleLowerCase().replace(/\s+/g, ' ').trim();
  const MAX = 10;
  for (const input of document.querySelectorAll('input[list][data-autocomplete]')) {
    const source = document.getElementById(input.getAttribute('list'));
    if (!source) continue;
    const items = [...source.options].map(o => ({
      name: o.value, detail: o.dataset.detail || '', short: (o.dataset.short || '').split(' ').filter(Boolean),
      key: norm(o.value)}));
    const listbox = document.createElement('ul');
    listbox.id = input.id + '-listbox';
    listbox.className = 'autocomplete-list';
    listbox.setAttribute('role', 'listbox');
    listbox.setAttribute('aria-label', 'Suggestions');
    listbox.hidden = true;
    const status = document.createElement('div');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    input.removeAttribute('list');
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', listbox.id);
    input.after(listbox, status);
    let shown = [], active = -1, timer = 0;

    const close = () => {
      listbox.hidden = true; listbox.replaceChildren(); shown = []; active = -1;
      input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant');
    };
    const choose = i => { input.value = shown[i].name; close(); status.textContent = shown[i].name + ' chosen.'; };
    const mark = i => {
      active = i;
      [...listbox.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
      if (i >= 0) { input.setAttribute('aria-activedescendant', listbox.children[i].id);
                    listbox.children[i].scrollIntoView({block: 'nearest'}); }
      else input.removeAttribute('aria-activedescendant');
    };
    const rank = (it, q) => it.key === q ? 0 : it.short.includes(q) ? 1 : it.key.startsWith(q) ? 2
      : it.key.split(/[\s(]+/).some(w => w.startsWith(q)) ? 3 : it.key.includes(q) ? 4 : 9;
    const update = () => {
      const q = norm(input.value);
      if (q.length < 2) { close(); status.textContent = ''; return; }
      const found = items.map(it => [rank(it, q), it]).filter(([r]) => r < 9)
        .sort((a, b) => a[0] - b[0] || a[1].key.localeCompare(b[1].key));
      shown = found.slice(0, MAX).map(([, it]) => it);
      listbox.replaceChildren(...shown.map((it, j) => {
        const li = document.createElement('li');
        li.id = listbox.id + '-' + j;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.append(it.name);
        if (it.detail) { const d = document.createElement('span'); d.className = 'hint'; d.textContent = ' (' + it.detail + ')'; li.append(d); }
        li.addEventListener('mousedown', e => { e.preventDefault(); choose(j); });
        return li;
      }));
      active = -1;
      listbox.hidden = shown.length === 0;
      input.setAttribute('aria-expanded', String(shown.length > 0));
      status.textContent = found.length === 0 ? 'No role or role level matches.'
        : found.length + (found.length === 1 ? ' match' : ' matches') + (found.length > MAX ? ', first ' + MAX + ' shown' : '')
          + '. Use the up and down arrows to choose.';
    };
    input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(update, 120); });
    input.addEventListener('keydown', e => {
      if (e.key === 'ArrowDown' && shown.length) { e.preventDefault(); mark(Math.min(active + 1, shown.length - 1)); }
      else if (e.key === 'ArrowUp' && shown.length) { e.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (e.key === 'Enter' && active >= 0) { e.preventDefault(); choose(active); }
      else if (e.key === 'Escape' && !listbox.hidden) { e.preventDefault(); close(); }
    });
    input.addEventListener('blur', () => setTimeout(close, 0));
  }
})();
