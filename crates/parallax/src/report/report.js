
/* parallax report: draws the views of an analysis file from the JSON embedded in this page.
 *
 * Article text is data. Every string of the analysis reaches the page through
 * textContent, text nodes or an attribute set by name (never an event handler,
 * never a URL other than this page's own #fragments); nothing is parsed as markup. */
(function () {
  'use strict';

  // ------------------------------------------------------------------ DOM helpers

  const SVGNS = 'http://www.w3.org/2000/svg';

  function append(el, children) {
    for (const c of children) {
      if (c == null || c === false) continue;
      if (Array.isArray(c)) append(el, c);
      else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  function setProps(el, props) {
    if (!props) return;
    for (const key of Object.keys(props)) {
      const v = props[key];
      if (v == null || v === false) continue;
      if (key === 'class') el.setAttribute('class', String(v));
      else if (key === 'style') for (const p of Object.keys(v)) el.style.setProperty(p, String(v[p]));
      else if (key.startsWith('on')) {
        if (typeof v === 'function') el.addEventListener(key.slice(2), v);
      } else if (key === 'href') {
        // Only links within this page: data can never become a javascript: URL.
        const target = String(v);
        if (target.startsWith('#')) el.setAttribute('href', target);
      } else el.setAttribute(key, String(v));
    }
  }

  /** Replaces the children of `el`; arrays are flattened as in `h`. */
  function fill(el, ...children) {
    el.replaceChildren();
    return append(el, children);
  }

  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    setProps(el, props);
    return append(el, children);
  }

  function s(tag, props, ...children) {
    const el = document.createElementNS(SVGNS, tag);
    setProps(el, props);
    return append(el, children);
  }

  const clip = (text, n) => (text.length > n ? text.slice(0, Math.max(1, n - 1)).trimEnd() + '…' : text);
  const plural = (n, one, many) => fmtInt(n) + ' ' + (n === 1 ? one : many || one + 's');
  const fmtInt = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

  function link(view, ...args) {
    return '#' + [view].concat(args.filter((a) => a != null).map((a) => encodeURIComponent(String(a)))).join('/');
  }
  const docLink = (id, byte) => link('documents', id, byte);

  // ------------------------------------------------------------------ the data

  const isObj = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
  const arr = (x) => (Array.isArray(x) ? x : []);
  const objs = (x) => arr(x).filter(isObj);
  const str = (x) => (typeof x === 'string' ? x : typeof x === 'number' ? String(x) : '');
  const ostr = (x) => (typeof x === 'string' && x !== '' ? x : null);

  function readData() {
    const el = document.getElementById('data');
    try {
      const value = JSON.parse(el ? el.textContent : 'null');
      return isObj(value) ? value : {};
    } catch (err) {
      return {};
    }
  }
  const RAW = readData();

  const documents = objs(RAW.documents).map((d, i) => ({
    id: str(d.id) || 'document-' + (i + 1),
    title: ostr(d.title),
    outlet: ostr(d.outlet),
    language: ostr(d.language),
    source: ostr(d.source),
    text: str(d.text),
    body: str(d.body),
    published: isObj(d.published) ? d.published : {},
    removed: objs(d.removed),
    story: ostr(d.story),
  }));
  const docById = new Map(documents.map((d) => [d.id, d]));

  const stories = objs(RAW.stories).map((st, i) => ({
    id: str(st.id) || 'S?' + (i + 1),
    title: ostr(st.title),
    when: ostr(st.when),
    documents: arr(st.documents).map(str).filter((id) => docById.has(id)),
  }));
  const storyById = new Map(stories.map((st) => [st.id, st]));
  for (const st of stories) {
    for (const id of st.documents) {
      const d = docById.get(id);
      if (!storyById.has(d.story)) d.story = st.id;
    }
  }
  for (const d of documents) if (!storyById.has(d.story)) d.story = null;

  const threads = objs(RAW.threads).map((t, i) => ({
    id: str(t.id) || 'T?' + (i + 1),
    stories: arr(t.stories).map(str).filter((id) => storyById.has(id)),
    why: str(t.why),
  }));
  const threadsOfStory = multimap(threads.flatMap((t) => t.stories.map((id) => [id, t])));

  const entities = objs(RAW.entities).map((e, i) => ({
    id: str(e.id) || 'E?' + (i + 1),
    name: str(e.name) || str(e.id) || '(unnamed)',
    type: (ostr(e.type) || 'MISC').toUpperCase(),
    aliases: arr(e.aliases).map(str).filter(Boolean),
    roles: arr(e.roles).map(str).filter(Boolean),
    mentions: objs(e.mentions),
  }));
  const entityById = new Map(entities.map((e) => [e.id, e]));

  const times = objs(RAW.times);

  const quotes = objs(RAW.quotes).map((q, i) => ({
    id: str(q.id) || 'Q?' + (i + 1),
    doc: str(q.doc),
    start: q.start,
    end: q.end,
    text: str(q.text),
    kind: str(q.kind) || 'direct',
    speaker: ostr(q.speaker),
    speakerText: ostr(q.speaker_text),
    cue: ostr(q.cue),
  }));
  const quoteById = new Map(quotes.map((q) => [q.id, q]));

  const quoteGroups = objs(RAW.quote_groups).map((g, i) => ({
    id: str(g.id) || 'QG?' + (i + 1),
    quotes: arr(g.quotes).map(str).map((id) => quoteById.get(id)).filter(Boolean),
    differences: arr(g.differences).map(str).filter(Boolean),
  }));
  const groupById = new Map(quoteGroups.map((g) => [g.id, g]));
  const groupOfQuote = new Map(quoteGroups.flatMap((g) => g.quotes.map((q) => [q.id, g])));

  const claims = objs(RAW.claims).map((c, i) => ({
    id: str(c.id) || 'C?' + (i + 1),
    gist: str(c.gist),
    positions: objs(c.positions).map((p) => ({
      holder: ostr(p.holder),
      holderText: ostr(p.holder_text),
      stance: (str(p.stance) || 'reports').toLowerCase(),
      evidence: isObj(p.evidence) ? p.evidence : null,
    })),
  }));
  const claimById = new Map(claims.map((c) => [c.id, c]));

  const events = objs(RAW.events).map((v, i) => ({
    id: str(v.id) || 'V?' + (i + 1),
    type: str(v.type) || 'event',
    participants: arr(v.participants).map(str).filter(Boolean),
    where: ostr(v.where),
    when: ostr(v.when),
    documents: arr(v.documents).map(str),
    evidence: objs(v.evidence),
  }));
  const eventById = new Map(events.map((v) => [v.id, v]));

  const comparisons = objs(RAW.comparisons).map((c) => ({
    story: str(c.story),
    outlets: objs(c.outlets).map((o) => ({
      doc: str(o.doc),
      outlet: ostr(o.outlet),
      covers: arr(o.covers).map(str),
      omits: arr(o.omits).map(str),
      cites: arr(o.cites).map(str),
    })),
    framing: objs(c.framing).map((f) => ({ referent: str(f.referent), renderings: objs(f.renderings) })),
    attribution: objs(c.attribution).map((a) => ({
      quoteGroup: str(a.quote_group),
      verbs: objs(a.verbs).map((v) => ({ doc: str(v.doc), verb: str(v.verb) })),
    })),
  }));

  const diagnostics = objs(RAW.diagnostics).map((x) => ({
    level: str(x.level) || 'note',
    origin: str(x.origin),
    message: str(x.message),
  }));

  function multimap(pairs) {
    const res = new Map();
    for (const [key, value] of pairs) {
      if (!res.has(key)) res.set(key, []);
      res.get(key).push(value);
    }
    return res;
  }

  // Everything that points into a document, by document.
  const mentionsByDoc = multimap(entities.flatMap((e) => e.mentions.map((m) => [str(m.doc), { span: m, entity: e }])));
  const timesByDoc = multimap(times.map((t) => [str(t.doc), t]));
  const quotesByDoc = multimap(quotes.map((q) => [q.doc, q]));
  const claimEvidenceByDoc = multimap(
    claims.flatMap((c) => c.positions.filter((p) => p.evidence).map((p) => [str(p.evidence.doc), { claim: c, position: p }])),
  );
  const eventEvidenceByDoc = multimap(events.flatMap((v) => v.evidence.map((span) => [str(span.doc), { event: v, span }])));

  const storyOfDoc = (id) => {
    const d = docById.get(id);
    return d && d.story ? storyById.get(d.story) : null;
  };
  function storiesOfDocs(ids) {
    const res = [];
    for (const id of ids) {
      const st = storyOfDoc(id);
      if (st && !res.includes(st)) res.push(st);
    }
    return res;
  }
  const storyOfEvent = (v) => storiesOfDocs(v.documents.concat(v.evidence.map((sp) => str(sp.doc))))[0] || null;
  const storiesOfGroup = (g) => storiesOfDocs(g.quotes.map((q) => q.doc));
  const storiesOfClaim = (c) => storiesOfDocs(c.positions.filter((p) => p.evidence).map((p) => str(p.evidence.doc)));

  const entityName = (id) => (entityById.has(id) ? entityById.get(id).name : id);

  // ------------------------------------------------------------------ dates

  const DAY_MS = 86400000;
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  function dayOf(year, month, day) {
    const t = new Date(0);
    t.setUTCFullYear(year, month - 1, day);
    return Math.round(t.getTime() / DAY_MS);
  }
  const dateOfDay = (n) => new Date(n * DAY_MS);
  const mod = (a, b) => ((a % b) + b) % b;

  /** An ISO 8601 date at any precision as a range of days (inclusive), or null. */
  function parseDate(value) {
    if (typeof value !== 'string') return null;
    let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
    if (m) {
      const d = dayOf(+m[1], +m[2], +m[3]);
      return { start: d, end: d, precision: 'day' };
    }
    m = /^(\d{4})-W(\d{2})/.exec(value);
    if (m) {
      const jan4 = dayOf(+m[1], 1, 4);
      const start = jan4 - mod(jan4 + 3, 7) + (+m[2] - 1) * 7;
      return { start, end: start + 6, precision: 'week' };
    }
    m = /^(\d{4})-Q([1-4])$/.exec(value);
    if (m) {
      const q = +m[2];
      return { start: dayOf(+m[1], 3 * q - 2, 1), end: dayOf(+m[1], 3 * q + 1, 1) - 1, precision: 'quarter' };
    }
    m = /^(\d{4})-(\d{2})$/.exec(value);
    if (m) return { start: dayOf(+m[1], +m[2], 1), end: dayOf(+m[1], +m[2] + 1, 1) - 1, precision: 'month' };
    m = /^(\d{4})$/.exec(value);
    if (m) return { start: dayOf(+m[1], 1, 1), end: dayOf(+m[1] + 1, 1, 1) - 1, precision: 'year' };
    return null;
  }

  function fmtDay(n) {
    const t = dateOfDay(n);
    return t.getUTCDate() + ' ' + MONTHS[t.getUTCMonth()] + ' ' + t.getUTCFullYear();
  }

  function fmtDate(value) {
    const p = parseDate(value);
    if (!p) return value == null ? '' : String(value);
    const t = dateOfDay(p.start);
    switch (p.precision) {
      case 'day':
        return fmtDay(p.start);
      case 'week':
        return 'week ' + +value.slice(6, 8) + ', ' + value.slice(0, 4);
      case 'quarter':
        return value.slice(5, 7) + ' ' + value.slice(0, 4);
      case 'month':
        return MONTHS[t.getUTCMonth()] + ' ' + t.getUTCFullYear();
      default:
        return String(t.getUTCFullYear());
    }
  }

  /** What the timeline and the lists need to know about a document's date. */
  function datesOf(d) {
    const p = d.published;
    const value = ostr(p.value);
    const earliest = ostr(p.earliest);
    const latest = ostr(p.latest);
    const point = parseDate(value);
    const e = parseDate(earliest);
    const l = parseDate(latest);
    let range = null;
    if (e && l && earliest !== latest) range = { start: Math.min(e.start, l.start), end: Math.max(e.end, l.end) };
    else if (!point && (e || l)) range = e || l;
    const basis = str(p.basis) || 'none';
    let label = 'undated';
    if (value) label = fmtDate(value);
    else if (earliest && latest && earliest !== latest) label = fmtDate(earliest) + ' – ' + fmtDate(latest);
    else if (earliest || latest) label = fmtDate(earliest || latest);
    return {
      value,
      earliest,
      latest,
      point,
      range,
      basis,
      note: str(p.note),
      evidence: isObj(p.evidence) ? p.evidence : null,
      estimated: basis === 'story' || basis === 'weekday' || !point,
      label,
      sortKey: point ? point.start : range ? range.start : Infinity,
    };
  }
  for (const d of documents) d.dates = datesOf(d);
  const byDate = (a, b) => a.dates.sortKey - b.dates.sortKey || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  // ------------------------------------------------------------------ colours

  const PALETTE = ['#2f6fd6', '#e0892b', '#1f9d74', '#d14d8c', '#7b57d1', '#1a9bb5', '#7f9c2a', '#c9473d', '#4f5bd5', '#b8891a'];
  const outletNames = [...new Set(documents.map((d) => d.outlet).filter(Boolean))].sort();
  const outletIndex = new Map(outletNames.map((name, i) => [name, i]));
  function paletteColor(i) {
    return i < PALETTE.length ? PALETTE[i] : 'hsl(' + Math.round((i * 137.508) % 360) + ' 52% 46%)';
  }
  const outletColor = (name) => (outletIndex.has(name) ? paletteColor(outletIndex.get(name)) : '#9aa3af');

  const TYPE_COLORS = { PERSON: '#2f6fd6', ORG: '#e0892b', LOC: '#1f9d74', EQUIPMENT: '#7b57d1', EVENT: '#d14d8c', MISC: '#6b7785' };
  const typeColor = (type) => TYPE_COLORS[type] || '#6b7785';

  const STANCES = ['asserts', 'alleges', 'denies', 'concedes', 'reports'];
  const STANCE_COLORS = { asserts: '#2f6fd6', alleges: '#e0892b', denies: '#c9473d', concedes: '#7b57d1', reports: '#6b7785' };
  const stanceColor = (stance) => STANCE_COLORS[stance] || '#6b7785';

  // Removed kinds, coloured by family: header lines (teal), page chrome (slate),
  // promotion (warm), media (violet), legal (brown), a rejected date (red).
  const KINDS = {
    title: ['#0f8f86', 'the headline, kept as the title'],
    byline: ['#137a6f', 'author or desk line'],
    dateline: ['#1f9d74', 'date line under the headline'],
    slogan: ['#5b6b7f', 'site name or slogan above the headline'],
    menu: ['#44546a', 'navigation menu or breadcrumb'],
    'page-chrome': ['#7a7066', 'page furniture: cookie notes, subscription prompts, widgets'],
    'page-date': ['#c9473d', 'a date above the headline: the day the page was shown or saved'],
    'read-more': ['#e0782b', 'teaser linking to another article'],
    'related-posts': ['#d9434f', 'list of related articles'],
    share: ['#1a9bb5', 'share buttons'],
    'social-embed': ['#2f7fc1', 'embedded social media post'],
    advert: ['#b8336a', 'advertisement'],
    caption: ['#7b57d1', 'photo or video caption'],
    credit: ['#a347b8', 'photo or video credit'],
    copyright: ['#94602a', 'copyright notice'],
  };
  const EXTRA_KIND_COLORS = ['#8c6d1f', '#5d7f2a', '#9c4f96', '#3d6f8f', '#8f4d3d'];
  function kindColor(kind) {
    if (KINDS[kind]) return KINDS[kind][0];
    let hash = 0;
    for (const ch of kind) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
    return EXTRA_KIND_COLORS[hash % EXTRA_KIND_COLORS.length];
  }
  const kindInfo = (kind) => (KINDS[kind] ? KINDS[kind][1] : 'removed as ' + kind);

  // ------------------------------------------------------------------ shared pieces

  const dot = (color) => h('span', { class: 'dot', style: { background: color } });

  function outletTag(outlet, extraClass) {
    return h(
      'span',
      { class: 'outlet' + (extraClass ? ' ' + extraClass : ''), title: outlet || 'outlet unknown' },
      dot(outletColor(outlet)),
      outlet ? outlet : h('span', { class: 'muted' }, 'outlet unknown'),
    );
  }

  /** "2 outlets" or "1 outlet + 3 unknown": articles without an outlet are not counted as outlets. */
  function outletCount(docs) {
    const known = new Set(docs.map((d) => d.outlet).filter(Boolean)).size;
    const unknown = docs.filter((d) => !d.outlet).length;
    return plural(known, 'outlet') + (unknown ? ' + ' + fmtInt(unknown) + ' unknown' : '');
  }

  const basisClass = (basis) => 'badge ' + (basis === 'none' ? 'basis-none' : basis === 'story' || basis === 'weekday' ? 'basis-est' : 'basis');

  const storyChip = (st) =>
    h('a', { class: 'chip link', href: link('stories', st.id), title: st.title || st.id }, st.id);
  const threadChip = (t) => h('span', { class: 'chip', title: t.why }, t.id);
  const entityChip = (id) => {
    const e = entityById.get(id);
    if (!e) return h('span', { class: 'chip' }, id);
    return h('a', { class: 'chip link', href: link('graph', e.id), title: e.type }, dot(typeColor(e.type)), e.name);
  };

  function placeholder(title, detail) {
    return h('div', { class: 'placeholder' }, h('div', { class: 'big' }, title), detail ? h('div', null, detail) : null);
  }

  function card(title, count, ...children) {
    return h(
      'div',
      { class: 'card' },
      h('h3', null, title, count != null ? h('span', { class: 'count' }, String(count)) : null),
      children,
    );
  }

  function layerEmpty(what) {
    return h('div', { class: 'empty-state' }, what + ': not yet analysed.');
  }

  // A floating tooltip shared by the SVG views.
  const tip = document.getElementById('tip');
  function showTip(ev, title, lines) {
    fill(tip, h('div', { class: 't' }, title), lines.filter(Boolean).map((line) => h('div', { class: 'm' }, line)));
    tip.hidden = false;
    moveTip(ev);
  }
  function moveTip(ev) {
    if (tip.hidden) return;
    const pad = 14;
    const r = tip.getBoundingClientRect();
    let x = ev.clientX + pad;
    let y = ev.clientY + pad;
    if (x + r.width > window.innerWidth - 8) x = ev.clientX - r.width - pad;
    if (y + r.height > window.innerHeight - 8) y = ev.clientY - r.height - pad;
    tip.style.left = Math.max(4, x) + 'px';
    tip.style.top = Math.max(4, y) + 'px';
  }
  const hideTip = () => {
    if (tip) tip.hidden = true;
  };
  function withTip(el, title, lines) {
    el.addEventListener('mouseenter', (ev) => showTip(ev, title, typeof lines === 'function' ? lines() : lines));
    el.addEventListener('mousemove', moveTip);
    el.addEventListener('mouseleave', hideTip);
    return el;
  }

  // ------------------------------------------------------------------ byte offsets

  /** Maps UTF-8 byte offsets of `text` (the contract's spans) to string indices. */
  function utf8Index(text) {
    const nBytes = new TextEncoder().encode(text).length;
    const unitOfByte = new Int32Array(nBytes + 1).fill(-1);
    const byteOfUnit = new Int32Array(text.length + 1);
    let byte = 0;
    let unit = 0;
    for (const ch of text) {
      unitOfByte[byte] = unit;
      byteOfUnit[unit] = byte;
      if (ch.length === 2) byteOfUnit[unit + 1] = byte;
      const cp = ch.codePointAt(0);
      byte += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      unit += ch.length;
    }
    unitOfByte[byte] = unit;
    byteOfUnit[unit] = byte;
    return {
      nBytes,
      /** The string index at a byte offset, or null when it is not a character boundary. */
      unit(b) {
        if (!Number.isInteger(b) || b < 0 || b > nBytes) return null;
        const u = unitOfByte[b];
        return u < 0 ? null : u;
      },
      byte: (u) => byteOfUnit[u],
    };
  }

  // ------------------------------------------------------------------ overview

  function buildOverview(root) {
    const stat = (label, n, layer) =>
      h(
        'div',
        { class: 'stat' + (n ? '' : ' none') },
        h('div', { class: 'n' }, n ? fmtInt(n) : '—'),
        h('div', { class: 'l' }, label),
        layer && !n ? h('div', { class: 'hint' }, 'not yet analysed') : null,
      );
    const nWarnings = diagnostics.filter((x) => x.level === 'warning').length;
    root.append(
      h(
        'div',
        { class: 'stats' },
        stat('documents', documents.length),
        stat('outlets', outletNames.length),
        stat('stories', stories.length),
        stat('threads', threads.length),
        stat('time expressions', times.length),
        stat('entities', entities.length, true),
        stat('quotes', quotes.length, true),
        stat('quote groups', quoteGroups.length, true),
        stat('claims', claims.length, true),
        stat('events', events.length, true),
        stat('comparisons', comparisons.length, true),
        stat('warnings', nWarnings),
      ),
    );

    const left = h('div');
    const right = h('div');
    root.append(h('div', { class: 'grid-2' }, left, right));

    const STORY_LIMIT = 200;
    const storyList = stories.slice(0, STORY_LIMIT).map((st) => {
      const docs = st.documents.map((id) => docById.get(id)).sort(byDate);
      return h(
        'div',
        { class: 'story-item' },
        h(
          'div',
          { class: 'story-head' },
          h('span', { class: 'id' }, st.id),
          h('a', { class: 'title', href: link('stories', st.id) }, st.title || 'Untitled story'),
          (threadsOfStory.get(st.id) || []).map(threadChip),
          h('span', { class: 'when' }, st.when ? fmtDate(st.when) : 'undated'),
        ),
        h(
          'div',
          { class: 'doc-lines' },
          docs.map((d) => [
            outletTag(d.outlet),
            h('span', { class: 'date', title: 'basis: ' + d.dates.basis }, d.dates.label),
            h('a', { href: docLink(d.id), title: d.title || d.id }, d.title || d.id),
          ]),
        ),
      );
    });
    left.append(
      card(
        'Stories',
        stories.length,
        stories.length ? storyList : h('div', { class: 'empty-state' }, 'No stories.'),
        stories.length > STORY_LIMIT
          ? h('div', { class: 'muted small' }, plural(stories.length - STORY_LIMIT, 'more story', 'more stories') + ' in the Stories view.')
          : null,
      ),
    );

    right.append(
      card(
        'Threads',
        threads.length,
        threads.length
          ? threads.map((t) =>
              h(
                'div',
                { class: 'thread' },
                h(
                  'div',
                  { class: 'thread-chain' },
                  h('span', { class: 'badge' }, t.id),
                  t.stories.map((id, i) => [i ? h('span', { class: 'arrow' }, '→') : null, storyChip(storyById.get(id))]),
                ),
                h('div', { class: 'why' }, t.why),
              ),
            )
          : h('div', { class: 'empty-state' }, 'No threads link these stories.'),
      ),
    );

    const outletRows = outletNames.map((name) => {
      const docs = documents.filter((d) => d.outlet === name);
      return h(
        'tr',
        null,
        h('td', null, outletTag(name)),
        h('td', { class: 'num' }, fmtInt(docs.length)),
        h('td', { class: 'num' }, fmtInt(new Set(docs.map((d) => d.story).filter(Boolean)).size)),
      );
    });
    const nUnknown = documents.filter((d) => !d.outlet).length;
    if (nUnknown)
      outletRows.push(
        h('tr', null, h('td', null, outletTag(null)), h('td', { class: 'num' }, fmtInt(nUnknown)), h('td', { class: 'num' }, '')),
      );
    right.append(
      card(
        'Outlets',
        outletNames.length,
        h('table', null, h('thead', null, h('tr', null, h('th', null, 'Outlet'), h('th', { class: 'num' }, 'Articles'), h('th', { class: 'num' }, 'Stories'))), h('tbody', null, outletRows)),
      ),
    );

    const DIAG_LIMIT = 300;
    right.append(
      card(
        'Diagnostics',
        diagnostics.length,
        diagnostics.length
          ? h(
              'table',
              null,
              h(
                'tbody',
                null,
                diagnostics.slice(0, DIAG_LIMIT).map((x) =>
                  h(
                    'tr',
                    null,
                    h('td', null, h('span', { class: 'badge ' + (x.level === 'warning' ? 'warning' : 'note') }, x.level)),
                    h('td', null, h('div', { class: 'mono' }, x.origin), h('div', { class: 'small' }, x.message)),
                  ),
                ),
              ),
            )
          : h('div', { class: 'empty-state' }, 'The run reported no problems.'),
        diagnostics.length > DIAG_LIMIT ? h('div', { class: 'muted small' }, plural(diagnostics.length - DIAG_LIMIT, 'more')) : null,
      ),
    );
  }

  // ------------------------------------------------------------------ timeline

  function buildTimeline(root) {
    // Above this many stories, one row per story reads better than one per article.
    const COMPACT_ABOVE = 40;
    let compact = stories.length > COMPACT_ABOVE;
    const modeBox = h('input', { type: 'checkbox', checked: compact ? 'checked' : null });
    const legend = h(
      'div',
      { class: 'legend' },
      h('span', { class: 'item' }, h('span', { class: 'swatch round', style: { background: '#2f6fd6' } }), 'published (own date)'),
      h('span', { class: 'item' }, h('span', { class: 'swatch round', style: { background: '#fff', border: '2px solid #2f6fd6' } }), 'estimated (story, weekday)'),
      h('span', { class: 'item' }, h('span', { class: 'swatch bar', style: { background: '#2f6fd6' } }), 'range the engine can defend'),
      h('span', { class: 'item' }, h('span', { class: 'swatch round', style: { background: '#16202e' } }), 'story date'),
      events.length ? h('span', { class: 'item' }, h('span', { class: 'swatch diamond', style: { background: '#16202e' } }), 'event') : null,
      threads.length ? h('span', { class: 'item' }, h('span', { class: 'swatch dash', style: { 'border-color': '#d14d8c' } }), 'thread') : null,
      h('span', { class: 'muted' }, 'Colour = outlet. Click a mark to open it.'),
      h('label', { class: 'item', style: { 'margin-left': 'auto' } }, modeBox, 'one row per story'),
    );
    const wrap = h('div', { class: 'timeline-wrap' });
    const undated = h('div');
    root.append(card('Timeline', null, legend, wrap), undated);
    let lastWidth = 0;
    const draw = (force) => {
      const width = Math.max(760, wrap.clientWidth);
      if (width === lastWidth && force !== true) return;
      lastWidth = width;
      fill(wrap, drawTimeline(width, compact));
    };
    modeBox.addEventListener('change', () => {
      compact = modeBox.checked;
      draw(true);
    });
    buildUndated(undated);
    return { show: draw, resize: draw };
  }

  function buildUndated(root) {
    const docs = documents.filter((d) => !d.dates.point && !d.dates.range);
    const undatedEvents = events.filter((v) => !parseDate(v.when));
    if (!docs.length && !undatedEvents.length) return;
    root.append(
      card(
        'Undated',
        docs.length + undatedEvents.length,
        docs.length
          ? h(
              'table',
              null,
              h('thead', null, h('tr', null, h('th', null, 'Document'), h('th', null, 'Outlet'), h('th', null, 'Story'), h('th', null, 'Why no date'))),
              h(
                'tbody',
                null,
                docs.map((d) =>
                  h(
                    'tr',
                    null,
                    h('td', null, h('a', { href: docLink(d.id) }, d.title || d.id)),
                    h('td', null, outletTag(d.outlet)),
                    h('td', null, d.story ? storyChip(storyById.get(d.story)) : ''),
                    h('td', { class: 'small' }, d.dates.note || 'basis: ' + d.dates.basis),
                  ),
                ),
              ),
            )
          : null,
        undatedEvents.length
          ? [
              h('h4', null, 'Events without a date'),
              h(
                'table',
                null,
                h('thead', null, h('tr', null, h('th', null, 'Event'), h('th', null, 'Participants'), h('th', null, 'Story'))),
                h(
                  'tbody',
                  null,
                  undatedEvents.map((v) =>
                    h(
                      'tr',
                      null,
                      h('td', { class: 'nowrap' }, h('span', { class: 'badge' }, v.id), ' ', v.type),
                      h('td', null, h('div', { class: 'chips' }, v.participants.map(entityChip))),
                      h('td', null, storyOfEvent(v) ? storyChip(storyOfEvent(v)) : ''),
                    ),
                  ),
                ),
              ),
            ]
          : null,
      ),
    );
  }

  /** Chooses tick positions (day numbers) and labels for a domain of days. */
  function ticks(d0, d1, pixelsPerDay) {
    const minGap = 74;
    const res = [];
    const dayStep = [1, 2, 7, 14].find((step) => step * pixelsPerDay >= minGap);
    if (dayStep) {
      // Weekly ticks fall on Mondays (day 4 since the epoch was a Monday).
      const first = dayStep >= 7 ? d0 + mod(4 - d0, 7) : Math.ceil(d0 / dayStep) * dayStep;
      let lastYear = null;
      for (let d = first; d <= d1; d += dayStep) {
        const t = dateOfDay(d);
        const year = t.getUTCFullYear();
        res.push({ day: d, label: t.getUTCDate() + ' ' + MONTHS[t.getUTCMonth()] + (year !== lastYear ? ' ' + year : ''), major: t.getUTCDate() === 1 });
        lastYear = year;
      }
      return res;
    }
    const monthStep = [1, 2, 3, 6, 12, 24, 60, 120].find((step) => step * 30.4 * pixelsPerDay >= minGap) || 240;
    const t0 = dateOfDay(d0);
    let year = t0.getUTCFullYear();
    let month = t0.getUTCMonth() + 1;
    let lastYear = null;
    for (let guard = 0; guard < 2000; guard++) {
      const d = dayOf(year, month, 1);
      if (d > d1) break;
      const index = year * 12 + (month - 1);
      if (d >= d0 && index % monthStep === 0) {
        const label = monthStep >= 12 ? String(year) : MONTHS[month - 1] + (year !== lastYear ? ' ' + year : '');
        res.push({ day: d, label, major: month === 1 });
        lastYear = year;
      }
      month += 1;
      if (month > 12) {
        month = 1;
        year += 1;
      }
    }
    return res;
  }

  function drawTimeline(width, compact) {
    // Bands: one per story with anything dated, in date order; a band is a
    // header row plus (unless compact) one row per dated document and event.
    // Events and documents outside any story go last.
    const BAND_LIMIT = compact ? 600 : 150;
    const ROW_LIMIT = 40;
    let bands = [];
    const eventsByStory = multimap(events.filter((v) => parseDate(v.when)).map((v) => [storyOfEvent(v) ? storyOfEvent(v).id : '', v]));
    for (const st of stories) {
      const docs = st.documents.map((id) => docById.get(id)).filter((d) => d.dates.point || d.dates.range).sort(byDate);
      const evs = eventsByStory.get(st.id) || [];
      const when = parseDate(st.when);
      const key = when ? when.start : docs.length ? docs[0].dates.sortKey : evs.length ? parseDate(evs[0].when).start : Infinity;
      if (docs.length || evs.length || when) bands.push({ story: st, docs, events: evs, key });
    }
    bands.sort((a, b) => a.key - b.key);
    const nBands = bands.length;
    bands = bands.slice(0, BAND_LIMIT);
    const looseDocs = documents.filter((d) => !d.story && (d.dates.point || d.dates.range)).sort(byDate);
    const looseEvents = eventsByStory.get('') || [];
    if (looseDocs.length || looseEvents.length) bands.push({ story: null, docs: looseDocs, events: looseEvents });
    if (!bands.length) return placeholder('Nothing here is dated.', 'Documents and events without dates are listed below.');

    // The domain: every drawn day.
    let lo = Infinity;
    let hi = -Infinity;
    const see = (r) => {
      if (r) {
        lo = Math.min(lo, r.start);
        hi = Math.max(hi, r.end);
      }
    };
    for (const b of bands) {
      if (b.story) see(parseDate(b.story.when));
      for (const d of b.docs) {
        see(d.dates.point);
        see(d.dates.range);
      }
      for (const v of b.events) see(parseDate(v.when));
    }
    const pad = Math.max(2, Math.round((hi - lo) * 0.04));
    const d0 = lo - pad;
    const d1 = hi + 1 + pad;

    const labelW = Math.round(Math.min(340, Math.max(220, width * 0.25)));
    const plotL = labelW + 16;
    const plotR = width - 28;
    const x = (day) => plotL + ((day - d0) / (d1 - d0)) * (plotR - plotL);
    const xMid = (r) => x((r.start + r.end + 1) / 2);
    const AXIS_H = 30;
    const HEAD_H = compact ? 26 : 30;
    const ROW_H = 30;

    let y = AXIS_H + 6;
    const layers = { bands: s('g'), grid: s('g'), spans: s('g'), threads: s('g'), rows: s('g'), marks: s('g') };
    const storyMarks = new Map();
    const labelChars = Math.floor((labelW - 30) / 6.4);

    bands.forEach((b, bandIdx) => {
      const nItems = compact ? 0 : b.docs.length + b.events.length;
      const nRows = Math.min(ROW_LIMIT, nItems);
      const more = nItems - nRows;
      const bandH = HEAD_H + nRows * ROW_H + (more > 0 ? 20 : 0) + (compact ? 0 : 8);
      layers.bands.append(s('rect', { class: 'tl-band' + (bandIdx % 2 ? ' alt' : ''), x: 0, y, width, height: bandH }));
      if (!compact || bandIdx === 0) layers.bands.append(s('line', { x1: 0, x2: width, y1: y, y2: y, stroke: '#e2e5ea' }));

      // Header: story label, the span of its documents, its date.
      const st = b.story;
      const headY = y + HEAD_H / 2;
      const title = st ? st.id + '  ' + (st.title || 'Untitled story') : 'Not in a story';
      const label = s('text', { class: 'tl-story-label', x: 12, y: headY + 4 }, clip(title, labelChars));
      if (st) {
        label.addEventListener('click', () => (location.hash = link('stories', st.id)));
        withTip(label, st.title || st.id, [st.id, st.when ? 'story date ' + fmtDate(st.when) : 'no story date', plural(st.documents.length, 'document'), outletCount(st.documents.map((id) => docById.get(id)))]);
      }
      layers.rows.append(label);
      const extents = b.docs.map((d) => d.dates.range || d.dates.point).concat(b.events.map((v) => parseDate(v.when)));
      const spanLo = Math.min(...extents.map((r) => r.start));
      const spanHi = Math.max(...extents.map((r) => r.end));
      if (Number.isFinite(spanLo) && spanHi > spanLo)
        layers.spans.append(s('rect', { class: 'tl-story-span', x: x(spanLo), y: headY - 3, width: x(spanHi + 1) - x(spanLo), height: 6, rx: 3 }));
      if (compact) {
        for (const v of b.events) eventMark(layers.marks, v, headY, 5);
        for (const d of b.docs) docMark(layers.marks, d, headY, 4.5);
      }
      const stWhen = st ? parseDate(st.when) : null;
      if (stWhen) {
        const cx = xMid(stWhen);
        const mark = s('circle', { cx, cy: headY, r: compact ? 3 : 6.5, fill: '#16202e', stroke: '#fff', 'stroke-width': compact ? 1 : 2, class: 'tl-doc' });
        mark.addEventListener('click', () => (location.hash = link('stories', st.id)));
        withTip(mark, st.title || st.id, [st.id + ' · ' + fmtDate(st.when), plural(st.documents.length, 'document')]);
        layers.marks.append(mark);
        storyMarks.set(st.id, { x: cx, y: headY });
      } else if (st && Number.isFinite(spanLo)) {
        storyMarks.set(st.id, { x: x((spanLo + spanHi + 1) / 2), y: headY });
      }
      y += HEAD_H;

      const items = b.docs.map((d) => ({ doc: d })).concat(b.events.map((v) => ({ event: v }))).slice(0, nRows);
      for (const item of items) {
        const rowY = y + ROW_H / 2;
        const row = s('g', { class: 'tl-row tl-doc' });
        row.append(s('rect', { class: 'tl-hl', x: 0, y, width, height: ROW_H }));
        if (item.doc) {
          const d = item.doc;
          rowLabel(row, rowY, outletColor(d.outlet), false, d.outlet || d.id, d.title || d.id);
          docMark(row, d, rowY, 6);
        } else {
          const v = item.event;
          rowLabel(row, rowY, '#16202e', true, 'event · ' + v.type, v.participants.map(entityName).join(', ') || v.id);
          eventMark(row, v, rowY, 7);
        }
        layers.rows.append(row);
        y += ROW_H;
      }
      if (more > 0) {
        layers.rows.append(s('text', { class: 'tl-row-sub', x: 28, y: y + 13 }, '+ ' + plural(more, 'more row') + ' (see the Stories view)'));
        y += 20;
      }
      y += compact ? 0 : 8;
    });
    if (nBands > BAND_LIMIT) {
      layers.rows.append(s('text', { class: 'tl-row-sub', x: 12, y: y + 16 }, 'The first ' + fmtInt(BAND_LIMIT) + ' of ' + fmtInt(nBands) + ' dated stories, by date; all are listed in the Stories view.'));
      y += 26;
    }

    function rowLabel(row, rowY, color, isEvent, main, sub) {
      if (isEvent) row.append(s('path', { d: 'M20 ' + (rowY - 4.5) + 'l4.5 4.5l-4.5 4.5l-4.5 -4.5z', fill: color }));
      else row.append(s('circle', { cx: 20, cy: rowY, r: 4, fill: color }));
      row.append(s('text', { class: 'tl-row-label', x: 30, y: rowY - 2 }, clip(main, labelChars - 3)));
      row.append(s('text', { class: 'tl-row-sub', x: 30, y: rowY + 10 }, clip(sub, Math.floor(labelChars * 1.15))));
    }

    /** A document's date: its range as a bar, its value as a dot (hollow when estimated). */
    function docMark(parent, d, cy, r) {
      const color = outletColor(d.outlet);
      const dd = d.dates;
      const g = s('g', { class: 'tl-doc' });
      if (dd.range) {
        g.append(s('rect', { class: 'tl-range', x: x(dd.range.start), y: cy - r + 1, width: Math.max(3, x(dd.range.end + 1) - x(dd.range.start)), height: 2 * r - 2, rx: r - 1, fill: color }));
      }
      if (dd.point) {
        if (dd.point.end > dd.point.start)
          g.append(s('rect', { class: 'tl-range', x: x(dd.point.start), y: cy - r / 2, width: x(dd.point.end + 1) - x(dd.point.start), height: r, rx: r / 2, fill: color }));
        g.append(s('circle', { cx: xMid(dd.point), cy, r, fill: dd.estimated ? '#fff' : color, stroke: color, 'stroke-width': r > 5 ? 2.5 : 1.8 }));
      }
      const target = parent.tagName === 'g' && parent.classList.contains('tl-row') ? parent : g;
      target.addEventListener('click', () => (location.hash = docLink(d.id)));
      withTip(target, d.title || d.id, [
        (d.outlet || 'outlet unknown') + ' · ' + d.id,
        'published: ' + dd.label + ' (basis: ' + dd.basis + ')',
        dd.range && dd.point ? 'range: ' + fmtDate(dd.earliest) + ' – ' + fmtDate(dd.latest) : null,
        dd.note,
      ]);
      parent.append(g);
    }

    /** An event: a diamond at its date, its extent as a bar when coarser than a day. */
    function eventMark(parent, v, cy, r) {
      const when = parseDate(v.when);
      const color = '#16202e';
      const g = s('g', { class: 'tl-doc' });
      if (when.end > when.start)
        g.append(s('rect', { class: 'tl-range', x: x(when.start), y: cy - r + 2, width: x(when.end + 1) - x(when.start), height: 2 * r - 4, rx: 2, fill: color }));
      const cx = xMid(when);
      g.append(s('path', { d: 'M' + cx + ' ' + (cy - r) + 'l' + r + ' ' + r + 'l' + -r + ' ' + r + 'l' + -r + ' ' + -r + 'z', fill: color, stroke: '#fff', 'stroke-width': 1.5 }));
      const target = parent.tagName === 'g' && parent.classList.contains('tl-row') ? parent : g;
      const st = storyOfEvent(v);
      if (st) target.addEventListener('click', () => (location.hash = link('stories', st.id)));
      const who = v.participants.map(entityName).join(', ');
      withTip(target, v.type + ' (' + v.id + ')', ['when: ' + fmtDate(v.when), who ? 'participants: ' + who : null, v.where ? 'where: ' + entityName(v.where) : null, plural(v.documents.length, 'document')]);
      parent.append(g);
    }

    const height = y + AXIS_H;
    // Grid and axis labels, top and bottom.
    const tickList = ticks(d0, d1, (plotR - plotL) / (d1 - d0));
    const axis = s('g', { class: 'tl-axis' });
    for (const t of tickList) {
      const tx = x(t.day);
      layers.grid.append(s('line', { class: 'tl-grid' + (t.major ? ' major' : ''), x1: tx, x2: tx, y1: AXIS_H - 4, y2: height - AXIS_H + 4 }));
      axis.append(s('text', { x: tx, y: AXIS_H - 10, 'text-anchor': 'middle' }, t.label));
      axis.append(s('text', { x: tx, y: height - 8, 'text-anchor': 'middle' }, t.label));
    }
    axis.append(s('line', { x1: plotL, x2: plotR, y1: AXIS_H - 4, y2: AXIS_H - 4, stroke: '#c7cdd6' }));
    axis.append(s('line', { x1: plotL, x2: plotR, y1: height - AXIS_H + 4, y2: height - AXIS_H + 4, stroke: '#c7cdd6' }));

    // Threads: a dashed curve through their stories' marks.
    threads.forEach((t, i) => {
      const color = ['#d14d8c', '#7b57d1', '#e0892b', '#1a9bb5', '#7f9c2a'][i % 5];
      const points = t.stories.map((id) => storyMarks.get(id)).filter(Boolean);
      if (points.length < 2) return;
      let d = 'M' + points[0].x + ' ' + points[0].y;
      for (let k = 1; k < points.length; k++) {
        const p = points[k - 1];
        const q = points[k];
        const bend = Math.max(30, Math.abs(q.x - p.x) / 2);
        d += ' C' + (p.x + bend) + ' ' + p.y + ' ' + (q.x - bend) + ' ' + q.y + ' ' + q.x + ' ' + q.y;
      }
      const path = s('path', { class: 'tl-thread', d, stroke: color });
      withTip(path, 'Thread ' + t.id, [t.stories.join(' → '), t.why]);
      layers.threads.append(path);
      const first = points[0];
      layers.threads.append(s('text', { class: 'tl-thread-label', x: first.x + 10, y: first.y - 8, fill: color }, t.id));
    });

    return s(
      'svg',
      { width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'timeline of stories' },
      layers.bands,
      layers.grid,
      axis,
      layers.spans,
      layers.rows,
      layers.threads,
      layers.marks,
    );
  }

  // ------------------------------------------------------------------ entity graph

  /** Co-occurrence of entities: shared documents, events and quote groups. */
  function cooccurrence() {
    const pairs = new Map();
    const bump = (ids, field) => {
      const list = [...new Set(ids)].filter((id) => entityById.has(id)).sort();
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const key = list[i] + '\u0000' + list[j];
          if (!pairs.has(key)) pairs.set(key, { a: list[i], b: list[j], docs: 0, events: 0, groups: 0, w: 0 });
          pairs.get(key)[field] += 1;
        }
      }
    };
    for (const [, mentions] of mentionsByDoc) bump(mentions.map((m) => m.entity.id), 'docs');
    for (const v of events) bump(v.participants.concat(v.where ? [v.where] : []), 'events');
    for (const g of quoteGroups) bump(g.quotes.map((q) => q.speaker).filter(Boolean), 'groups');
    for (const e of pairs.values()) e.w = e.docs + 2 * e.events + 2 * e.groups;
    return [...pairs.values()];
  }

  /** A small deterministic force layout (Fruchterman–Reingold with gravity). */
  function forceLayout(nodes, edges, width, height) {
    const n = nodes.length;
    const cx = width / 2;
    const cy = height / 2;
    nodes.forEach((node, i) => {
      const r = 18 * Math.sqrt(i + 0.5);
      const angle = i * 2.399963;
      node.x = cx + r * Math.cos(angle);
      node.y = cy + r * Math.sin(angle);
    });
    if (n < 2) return;
    const index = new Map(nodes.map((node, i) => [node.id, i]));
    const links = edges.map((e) => [index.get(e.a), index.get(e.b), Math.log2(1 + e.w)]);
    const k = Math.sqrt((width * height) / n) * 0.42;
    const dx = new Float64Array(n);
    const dy = new Float64Array(n);
    const ITER = 360;
    for (let it = 0; it < ITER; it++) {
      dx.fill(0);
      dy.fill(0);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          let ex = nodes[i].x - nodes[j].x;
          let ey = nodes[i].y - nodes[j].y;
          let d2 = ex * ex + ey * ey;
          if (d2 < 0.01) {
            ex = 0.1 * ((i % 3) - 1) + 0.05;
            ey = 0.1 * ((j % 3) - 1) + 0.05;
            d2 = ex * ex + ey * ey;
          }
          const f = (k * k) / d2;
          dx[i] += ex * f;
          dy[i] += ey * f;
          dx[j] -= ex * f;
          dy[j] -= ey * f;
        }
      }
      for (const [i, j, w] of links) {
        const ex = nodes[i].x - nodes[j].x;
        const ey = nodes[i].y - nodes[j].y;
        const d = Math.sqrt(ex * ex + ey * ey) || 0.01;
        const f = (d / k) * (0.6 + 0.4 * w);
        dx[i] -= ex * f;
        dy[i] -= ey * f;
        dx[j] += ex * f;
        dy[j] += ey * f;
      }
      const temp = Math.max(1, (width / 8) * (1 - it / ITER));
      for (let i = 0; i < n; i++) {
        dx[i] -= (nodes[i].x - cx) * 0.06 * n ** 0.5;
        dy[i] -= (nodes[i].y - cy) * 0.06 * n ** 0.5;
        const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
        const step = Math.min(d, temp);
        nodes[i].x += (dx[i] / d) * step;
        nodes[i].y += (dy[i] / d) * step;
      }
    }
    // Fit into the box, keeping the aspect ratio.
    const margin = 60;
    const xs = nodes.map((node) => node.x);
    const ys = nodes.map((node) => node.y);
    const minX = Math.min(...xs);
    const minY = Math.min(...ys);
    const spanX = Math.max(1, Math.max(...xs) - minX);
    const spanY = Math.max(1, Math.max(...ys) - minY);
    // Labels sit right of their nodes: leave them room on the right.
    const labelRoom = 140;
    const scale = Math.min((width - 2 * margin - labelRoom) / spanX, (height - 2 * margin) / spanY, 3);
    const offX = margin + (width - 2 * margin - labelRoom - spanX * scale) / 2;
    const offY = (height - spanY * scale) / 2;
    for (const node of nodes) {
      node.x = offX + (node.x - minX) * scale;
      node.y = offY + (node.y - minY) * scale;
    }
    // Push apart nodes that overlap (clusters that share nothing end up close).
    for (let it = 0; it < 80; it++) {
      let moved = false;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const a = nodes[i];
          const b = nodes[j];
          const need = a.r + b.r + 6;
          let ex = b.x - a.x;
          let ey = b.y - a.y;
          const d = Math.sqrt(ex * ex + ey * ey);
          if (d >= need) continue;
          if (d < 0.01) {
            ex = Math.cos(i + j);
            ey = Math.sin(i + j);
          } else {
            ex /= d;
            ey /= d;
          }
          const push = (need - d) / 2;
          a.x -= ex * push;
          a.y -= ey * push;
          b.x += ex * push;
          b.y += ey * push;
          moved = true;
        }
      }
      if (!moved) break;
    }
    for (const node of nodes) {
      node.x = Math.min(width - node.r - 4, Math.max(node.r + 4, node.x));
      node.y = Math.min(height - node.r - 4, Math.max(node.r + 4, node.y));
    }
  }

  function buildGraph(root) {
    if (!entities.length) {
      root.append(
        card(
          'Entities',
          null,
          placeholder('Entities: not yet analysed.', 'The graph of who appears with whom is drawn when the analysis lists entities.'),
        ),
      );
      return {};
    }
    const allEdges = cooccurrence();
    const nMentions = (e) => e.mentions.length;
    const ranked = entities.slice().sort((a, b) => nMentions(b) - nMentions(a) || (a.name < b.name ? -1 : 1));
    const types = [...new Set(entities.map((e) => e.type))].sort();
    const shownTypes = new Set(types);
    let limit = 60;
    let minWeight = 1;
    let selected = null;
    let current = null;

    const typeToggles = types.map((type) => {
      const box = h('input', { type: 'checkbox', checked: 'checked' });
      const label = h('label', { class: 'item' }, box, h('span', { class: 'swatch round', style: { background: typeColor(type) } }), type);
      box.addEventListener('change', () => {
        if (box.checked) shownTypes.add(type);
        else shownTypes.delete(type);
        label.classList.toggle('off', !box.checked);
        redraw();
      });
      return label;
    });
    const limitSelect = h('select', null, [25, 60, 120, 250].map((n) => h('option', { value: n, selected: n === limit ? 'selected' : null }, 'top ' + n)), h('option', { value: 100000 }, 'all'));
    limitSelect.addEventListener('change', () => {
      limit = +limitSelect.value;
      redraw();
    });
    const weightSelect = h('select', null, [1, 2, 3, 5, 10].map((n) => h('option', { value: n }, 'weight ≥ ' + n)));
    weightSelect.addEventListener('change', () => {
      minWeight = +weightSelect.value;
      redraw();
    });
    const box = h('div', { class: 'card graph-box' });
    const tools = h('div', { class: 'graph-tools' }, h('div', { class: 'legend' }, typeToggles), h('span', { class: 'muted' }, 'show'), limitSelect, weightSelect);
    const stage = h('div');
    box.append(tools, stage);
    const panel = h('div', { class: 'card entity-panel' });
    root.append(h('div', { class: 'graph-layout' }, box, panel));
    showPanel(null);

    function redraw() {
      const shown = ranked.filter((e) => shownTypes.has(e.type)).slice(0, limit);
      const maxM = Math.max(1, ...shown.map(nMentions));
      const nodes = shown.map((e) => ({ id: e.id, entity: e, r: 5 + 11 * Math.sqrt(nMentions(e) / maxM) }));
      const ids = new Set(nodes.map((node) => node.id));
      const edges = allEdges.filter((e) => e.w >= minWeight && ids.has(e.a) && ids.has(e.b));
      const width = Math.max(500, stage.clientWidth || 900);
      const height = 640;
      forceLayout(nodes, edges, width, height);
      current = drawGraph(nodes, edges, width, height);
      fill(stage, current.svg);
      if (selected) current.select(selected);
    }

    function drawGraph(nodes, edges, width, height) {
      const svg = s('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'entity co-occurrence graph' });
      const byId = new Map(nodes.map((node) => [node.id, node]));
      const maxW = Math.max(1, ...edges.map((e) => e.w));
      const edgeEls = edges.map((e) => {
        const line = s('line', {
          class: 'g-edge',
          'stroke-width': (1 + (3.5 * Math.log1p(e.w)) / Math.log1p(maxW)).toFixed(2),
          'stroke-opacity': (0.35 + (0.45 * e.w) / maxW).toFixed(2),
        });
        withTip(line, entityName(e.a) + ' — ' + entityName(e.b), [weightText(e)]);
        return { edge: e, line };
      });
      const neighbors = new Map(nodes.map((node) => [node.id, new Set()]));
      for (const e of edges) {
        neighbors.get(e.a).add(e.b);
        neighbors.get(e.b).add(e.a);
      }
      const labelled = new Set(nodes.slice(0, 30).map((node) => node.id));
      const nodeEls = nodes.map((node) => {
        const e = node.entity;
        const r = node.r;
        const g = s(
          'g',
          { class: 'g-node' + (labelled.has(e.id) ? '' : ' hidden-label') },
          s('circle', { r: r.toFixed(1), fill: typeColor(e.type) }),
          s('text', { x: (r + 4).toFixed(1), y: 4 }, clip(e.name, 32)),
        );
        node.el = g;
        g.addEventListener('mouseenter', (ev) => {
          focus(node.id);
          g.classList.add('hot');
          showTip(ev, e.name, [e.type + ' · ' + plural(nMentions(e), 'mention'), e.roles.length ? e.roles.join('; ') : null, e.aliases.length > 1 ? 'also: ' + e.aliases.filter((a) => a !== e.name).join(', ') : null]);
        });
        g.addEventListener('mousemove', moveTip);
        g.addEventListener('mouseleave', () => {
          g.classList.remove('hot');
          focus(selected);
          hideTip();
        });
        let drag = null;
        g.addEventListener('pointerdown', (ev) => {
          drag = { x: ev.clientX, y: ev.clientY, moved: false };
          g.setPointerCapture(ev.pointerId);
          ev.preventDefault();
        });
        g.addEventListener('pointermove', (ev) => {
          if (!drag) return;
          if (Math.abs(ev.clientX - drag.x) + Math.abs(ev.clientY - drag.y) > 3) drag.moved = true;
          if (!drag.moved) return;
          const ctm = svg.getScreenCTM();
          if (!ctm) return;
          const pt = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(ctm.inverse());
          node.x = pt.x;
          node.y = pt.y;
          place();
          hideTip();
        });
        g.addEventListener('pointerup', () => {
          if (drag && !drag.moved) location.hash = link('graph', node.id);
          drag = null;
        });
        return g;
      });
      function place() {
        for (const { edge, line } of edgeEls) {
          const a = byId.get(edge.a);
          const b = byId.get(edge.b);
          line.setAttribute('x1', a.x.toFixed(1));
          line.setAttribute('y1', a.y.toFixed(1));
          line.setAttribute('x2', b.x.toFixed(1));
          line.setAttribute('y2', b.y.toFixed(1));
        }
        for (const node of nodes) node.el.setAttribute('transform', 'translate(' + node.x.toFixed(1) + ' ' + node.y.toFixed(1) + ')');
      }
      function focus(id) {
        const near = id && neighbors.has(id) ? neighbors.get(id) : null;
        for (const node of nodes) {
          node.el.classList.toggle('dim', !!near && node.id !== id && !near.has(node.id));
          node.el.classList.toggle('hot', !!near && (node.id === id || near.has(node.id)));
          node.el.classList.toggle('sel', node.id === selected);
        }
        for (const { edge, line } of edgeEls) line.classList.toggle('dim', !!near && edge.a !== id && edge.b !== id);
      }
      place();
      svg.append(s('g', null, edgeEls.map((x) => x.line)), s('g', null, nodeEls));
      if (!nodes.length) svg.append(s('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', fill: '#7b8595' }, 'No entity matches the filters.'));
      return { svg, select: focus };
    }

    function weightText(e, short) {
      return [
        e.docs ? plural(e.docs, short ? 'doc' : 'shared document') : null,
        e.events ? plural(e.events, short ? 'event' : 'shared event') : null,
        e.groups ? plural(e.groups, short ? 'quote group' : 'shared quote group') : null,
      ]
        .filter(Boolean)
        .join(short ? ' · ' : ', ');
    }

    function showPanel(id) {
      const e = id ? entityById.get(id) : null;
      if (!e) {
        fill(panel,
          h('h3', null, 'Entities'),
          h('p', { class: 'muted small' }, plural(entities.length, 'entity', 'entities') + ', ' + plural(allEdges.length, 'co-occurring pair') + '. Node size = mentions; line weight = shared documents, events (×2) and quote groups (×2). Hover to highlight neighbours, click for details, drag to move.'),
          h('h4', null, 'Most mentioned'),
          h('table', null, h('tbody', null, ranked.slice(0, 12).map((x) => h('tr', null, h('td', null, entityChip(x.id)), h('td', { class: 'num' }, fmtInt(nMentions(x))))))),
        );
        return;
      }
      const docs = multimap(e.mentions.map((m) => [str(m.doc), m]));
      const related = allEdges.filter((x) => x.a === e.id || x.b === e.id).sort((x, y) => y.w - x.w);
      const evs = events.filter((v) => v.participants.includes(e.id) || v.where === e.id);
      const spoken = quotes.filter((q) => q.speaker === e.id);
      fill(panel,
        h('h3', null, dot(typeColor(e.type)), e.name),
        h('span', { class: 'badge' }, e.type),
        ' ',
        h('span', { class: 'muted small mono' }, e.id),
        h(
          'dl',
          null,
          h('dt', null, 'Aliases'),
          h('dd', null, e.aliases.length ? h('div', { class: 'chips' }, e.aliases.map((a) => h('span', { class: 'chip' }, a))) : h('span', { class: 'muted' }, 'none')),
          h('dt', null, 'Roles'),
          h('dd', null, e.roles.length ? e.roles.join('; ') : h('span', { class: 'muted' }, 'none')),
          h('dt', null, 'Mentions'),
          h('dd', null, plural(e.mentions.length, 'mention') + ' in ' + plural(docs.size, 'document')),
          spoken.length ? [h('dt', null, 'Quoted'), h('dd', null, plural(spoken.length, 'quote'))] : null,
        ),
        h('h4', null, 'Documents'),
        h(
          'div',
          { class: 'small' },
          [...docs].map(([docId, ms]) => {
            const d = docById.get(docId);
            return h('div', null, h('a', { href: docLink(docId, ms[0].start) }, d ? d.title || d.id : docId), ' ', h('span', { class: 'muted' }, '×' + ms.length));
          }),
        ),
        evs.length ? [h('h4', null, 'Events'), h('div', { class: 'small' }, evs.map((v) => h('div', null, h('span', { class: 'badge' }, v.id), ' ', v.type, v.when ? ' · ' + fmtDate(v.when) : '')))] : null,
        related.length
          ? [
              h('h4', null, 'Appears with'),
              h('table', { class: 'neighbors' }, h('tbody', null, related.slice(0, 15).map((x) => h('tr', null, h('td', null, entityChip(x.a === e.id ? x.b : x.a)), h('td', { class: 'muted small nowrap' }, weightText(x, true)))))),
            ]
          : null,
      );
    }

    return {
      show(args) {
        if (!current) redraw();
        selected = args[0] && entityById.has(args[0]) ? args[0] : null;
        current.select(selected);
        showPanel(selected);
      },
    };
  }

  // ------------------------------------------------------------------ word diff

  const TOKEN = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*|\s+|[^\s\p{L}\p{N}]+/gu;
  const isWord = (token) => /[\p{L}\p{N}]/u.test(token);
  const normWord = (token) => token.normalize('NFKC').toLowerCase().replace(/’/g, "'");

  /** Which words of `a` and `b` belong to a longest common subsequence. */
  function lcsMatch(a, b) {
    const n = a.length;
    const m = b.length;
    if (n * m > 4000000) return null;
    const table = new Uint16Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i * (m + 1) + j] = a[i] === b[j] ? table[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(table[(i + 1) * (m + 1) + j], table[i * (m + 1) + j + 1]);
      }
    }
    const inA = new Array(n).fill(false);
    const inB = new Array(m).fill(false);
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[i] === b[j]) {
        inA[i] = true;
        inB[j] = true;
        i++;
        j++;
      } else if (table[(i + 1) * (m + 1) + j] >= table[i * (m + 1) + j + 1]) i++;
      else j++;
    }
    return [inA, inB];
  }

  /** For each text, its tokens and which word tokens differ from the others. */
  function diffTexts(texts) {
    const tokenized = texts.map((text) => {
      const tokens = text.match(TOKEN) || [];
      const words = [];
      tokens.forEach((token, i) => {
        if (isWord(token)) words.push(i);
      });
      return { tokens, words, norm: words.map((i) => normWord(tokens[i])), differs: new Set() };
    });
    if (tokenized.length < 2) return tokenized;
    const ref = tokenized[0];
    for (const other of tokenized.slice(1)) {
      const match = lcsMatch(ref.norm, other.norm);
      if (!match) continue;
      match[0].forEach((ok, k) => {
        if (!ok) ref.differs.add(ref.words[k]);
      });
      match[1].forEach((ok, k) => {
        if (!ok) other.differs.add(other.words[k]);
      });
    }
    return tokenized;
  }

  /** The tokens as nodes, runs of differing words marked. */
  function diffNodes(t) {
    const res = [];
    let run = null;
    t.tokens.forEach((token, i) => {
      const differs = t.differs.has(i);
      const space = !isWord(token) && /^\s+$/.test(token);
      if (differs) {
        if (!run) {
          run = h('mark', { class: 'diff' });
          res.push(run);
        }
        run.append(token);
      } else if (run && space && t.differs.has(i + 1)) {
        run.append(token);
      } else {
        run = null;
        res.push(token);
      }
    });
    return res;
  }

  // ------------------------------------------------------------------ stories

  function buildStories(root) {
    if (!stories.length) {
      root.append(card('Stories', null, placeholder('No stories in this analysis.')));
      return {};
    }
    const search = h('input', { type: 'search', placeholder: 'Filter stories…', 'aria-label': 'filter stories' });
    const list = h('div');
    const side = h('div', { class: 'card side-list' }, search, list);
    const main = h('div');
    root.append(h('div', { class: 'split' }, side, main));
    const items = stories.map((st) => {
      const item = h(
        'a',
        { class: 'side-item', href: link('stories', st.id) },
        h('div', { class: 't' }, st.title || 'Untitled story'),
        h('div', { class: 'm' }, h('span', { class: 'mono' }, st.id), st.when ? fmtDate(st.when) : 'undated', '·', plural(st.documents.length, 'article'), '·', outletCount(st.documents.map((id) => docById.get(id)))),
      );
      item.dataset.key = (st.id + ' ' + (st.title || '')).toLowerCase();
      return [st.id, item];
    });
    list.append(...items.map(([, item]) => item));
    search.addEventListener('input', () => {
      const q = search.value.trim().toLowerCase();
      for (const [, item] of items) item.hidden = !!q && !item.dataset.key.includes(q);
    });
    return {
      show(args) {
        const st = storyById.get(args[0]) || stories[0];
        for (const [id, item] of items) item.classList.toggle('active', id === st.id);
        fill(main, storyPage(st));
      },
    };
  }

  function storyPage(st) {
    const docs = st.documents.map((id) => docById.get(id)).sort(byDate);
    const docSet = new Set(st.documents);
    const outlets = new Set(docs.map((d) => d.outlet).filter(Boolean));
    const res = [];
    res.push(
      h(
        'div',
        { class: 'page-head' },
        h('h2', null, st.title || 'Untitled story'),
        h(
          'div',
          { class: 'meta' },
          h('span', { class: 'mono' }, st.id),
          h('span', null, st.when ? fmtDate(st.when) : 'undated'),
          h('span', null, plural(docs.length, 'article') + ' from ' + outletCount(docs)),
          (threadsOfStory.get(st.id) || []).map((t) =>
            h('span', { class: 'chips' }, threadChip(t), t.stories.filter((id) => id !== st.id).map((id) => storyChip(storyById.get(id)))),
          ),
        ),
      ),
    );

    res.push(
      card(
        'Articles',
        docs.length,
        h(
          'table',
          null,
          h('thead', null, h('tr', null, h('th', null, 'Published'), h('th', null, 'Outlet'), h('th', null, 'Title'), h('th', null, 'Basis'))),
          h(
            'tbody',
            null,
            docs.map((d) =>
              h(
                'tr',
                null,
                h('td', { class: 'nowrap', title: d.dates.note }, d.dates.label),
                h('td', null, outletTag(d.outlet)),
                h('td', null, h('a', { href: docLink(d.id) }, d.title || d.id), h('div', { class: 'muted small mono' }, d.id)),
                h('td', null, h('span', { class: basisClass(d.dates.basis), title: d.dates.note }, d.dates.basis)),
              ),
            ),
          ),
        ),
      ),
    );

    const storyEvents = events.filter((v) => storyOfEvent(v) === st);
    if (events.length)
      res.push(card('Events', storyEvents.length, storyEvents.length ? eventTable(storyEvents) : h('div', { class: 'empty-state' }, 'No events found in this story.')));

    const groups = quoteGroups.filter((g) => storiesOfGroup(g).includes(st));
    res.push(
      card(
        'Quotes compared',
        quoteGroups.length ? groups.length : null,
        !quoteGroups.length
          ? layerEmpty('Quote groups')
          : groups.length
            ? groups.map(quoteGroupView)
            : h('div', { class: 'empty-state' }, 'No statement is quoted by more than one article of this story.'),
      ),
    );

    const storyClaims = claims.filter((c) => storiesOfClaim(c).includes(st));
    res.push(
      card(
        'Claims',
        claims.length ? storyClaims.length : null,
        !claims.length ? layerEmpty('Claims') : storyClaims.length ? storyClaims.map((c) => claimMatrix(c, docSet)) : h('div', { class: 'empty-state' }, 'No claims in this story.'),
      ),
    );

    const comps = comparisons.filter((c) => c.story === st.id);
    res.push(
      card(
        'Outlet comparison',
        null,
        !comparisons.length
          ? layerEmpty('Comparisons')
          : comps.length
            ? comps.map(comparisonView)
            : h('div', { class: 'empty-state' }, outlets.size > 1 ? 'No comparison for this story.' : 'One outlet only: nothing to compare.'),
      ),
    );
    return res;
  }

  function evidenceLink(span, color, extra) {
    const d = docById.get(str(span.doc));
    return h(
      'a',
      { class: 'evidence', href: docLink(str(span.doc), span.start), style: color ? { '--stance': color } : null },
      clip(str(span.text), 280),
      h('span', { class: 'src' }, d ? (d.outlet || d.id) + ' · ' + d.dates.label : str(span.doc), extra ? ' · ' + extra : ''),
    );
  }

  function eventTable(list) {
    return h(
      'table',
      null,
      h('thead', null, h('tr', null, h('th', null, 'Event'), h('th', null, 'When'), h('th', null, 'Who'), h('th', null, 'Where'), h('th', null, 'Evidence'))),
      h(
        'tbody',
        null,
        list.map((v) =>
          h(
            'tr',
            null,
            h('td', { class: 'nowrap' }, h('span', { class: 'badge' }, v.id), ' ', v.type),
            h('td', { class: 'nowrap' }, v.when ? fmtDate(v.when) : h('span', { class: 'muted' }, 'undated')),
            h('td', null, h('div', { class: 'chips' }, v.participants.map(entityChip))),
            h('td', null, v.where ? entityChip(v.where) : ''),
            h('td', null, v.evidence.slice(0, 3).map((sp) => evidenceLink(sp))),
          ),
        ),
      ),
    );
  }

  function speakerOf(q) {
    if (q.speaker && entityById.has(q.speaker)) return entityChip(q.speaker);
    return h('span', { class: 'chip' }, q.speakerText || 'unknown speaker');
  }

  function quoteGroupView(g) {
    const diffs = diffTexts(g.quotes.map((q) => q.text));
    return h(
      'div',
      { class: 'qgroup' },
      h(
        'div',
        { class: 'differences' },
        h('span', { class: 'badge' }, g.id),
        g.differences.length ? [h('span', { class: 'muted' }, 'differences:'), g.differences.map((x) => h('span', { class: 'chip' }, x))] : h('span', { class: 'muted' }, plural(g.quotes.length, 'rendering')),
        h('span', { class: 'muted' }, '· highlighted: words not shared with the first rendering'),
      ),
      h(
        'div',
        { class: 'quote-cols' },
        g.quotes.map((q, i) => {
          const d = docById.get(q.doc);
          return h(
            'div',
            { class: 'quote-col' + (q.kind === 'indirect' ? ' indirect' : '') },
            h('div', { class: 'who' }, outletTag(d ? d.outlet : null), d ? h('span', { class: 'muted' }, d.dates.label) : null),
            h('div', { class: 'who' }, speakerOf(q), q.cue ? h('span', { class: 'muted' }, q.cue) : null, h('span', { class: 'badge' }, q.kind)),
            h('blockquote', null, diffNodes(diffs[i])),
            h('a', { class: 'go', href: docLink(q.doc, q.start) }, 'in context →'),
          );
        }),
      ),
    );
  }

  function claimMatrix(c, docSet) {
    const stances = STANCES.concat([...new Set(c.positions.map((p) => p.stance))].filter((x) => !STANCES.includes(x)));
    const holders = new Map();
    for (const p of c.positions) {
      const key = p.holder ? 'id:' + p.holder : 'text:' + (p.holderText || '');
      if (!holders.has(key)) holders.set(key, { holder: p.holder, texts: new Set(), positions: [] });
      const row = holders.get(key);
      if (p.holderText) row.texts.add(p.holderText);
      row.positions.push(p);
    }
    return h(
      'div',
      { class: 'claim' },
      h('div', { class: 'gist' }, h('span', { class: 'badge' }, c.id), ' ', c.gist || '(no gist)'),
      h(
        'table',
        { class: 'matrix' },
        h('thead', null, h('tr', null, h('th', { class: 'holder-col' }, 'Holder'), stances.map((x) => h('th', { class: 'stance', style: { color: stanceColor(x) } }, x)))),
        h(
          'tbody',
          null,
          [...holders.values()].map((row) =>
            h(
              'tr',
              null,
              h(
                'td',
                { class: 'holder' },
                row.holder && entityById.has(row.holder) ? entityChip(row.holder) : h('span', null, [...row.texts][0] || 'unnamed holder'),
                [...row.texts]
                  .filter((t) => !(row.holder && entityById.has(row.holder) && t === entityName(row.holder)))
                  .slice(row.holder && entityById.has(row.holder) ? 0 : 1)
                  .map((t) => h('div', { class: 'muted small' }, 'as “' + t + '”')),
              ),
              stances.map((x) => {
                const ps = row.positions.filter((p) => p.stance === x);
                return h(
                  'td',
                  { class: 'cell' },
                  ps.map((p) =>
                    p.evidence
                      ? evidenceLink(p.evidence, stanceColor(x), docSet.has(str(p.evidence.doc)) ? null : 'other story')
                      : h('span', { class: 'muted' }, '(no evidence)'),
                  ),
                );
              }),
            ),
          ),
        ),
      ),
    );
  }

  function itemLabel(id) {
    if (eventById.has(id)) {
      const v = eventById.get(id);
      return 'event: ' + v.type + (v.when ? ' · ' + fmtDate(v.when) : '') + (v.participants.length ? ' · ' + v.participants.map(entityName).join(', ') : '');
    }
    if (claimById.has(id)) return 'claim: ' + claimById.get(id).gist;
    if (groupById.has(id)) {
      const g = groupById.get(id);
      return 'quote: “' + clip(g.quotes.length ? g.quotes[0].text : '', 120) + '”';
    }
    return id;
  }

  function comparisonView(c) {
    const kindRank = (id) => (eventById.has(id) ? 0 : claimById.has(id) ? 1 : groupById.has(id) ? 2 : 3);
    const natural = (a, b) => a.localeCompare(b, 'en', { numeric: true });
    const items = [...new Set(c.outlets.flatMap((o) => o.covers.concat(o.omits)))].sort((a, b) => kindRank(a) - kindRank(b) || natural(a, b));
    const parts = [];
    parts.push(h('h4', null, 'Coverage'));
    parts.push(
      h(
        'div',
        { class: 'timeline-wrap' },
        h(
          'table',
          { class: 'coverage' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', null, 'Article'),
              items.map((id) => withTip(h('th', { class: 'mark' }, id), id, [itemLabel(id)])),
              h('th', null, 'Cites'),
            ),
          ),
          h(
            'tbody',
            null,
            c.outlets.map((o) => {
              const d = docById.get(o.doc);
              return h(
                'tr',
                null,
                h('td', null, outletTag(o.outlet || (d ? d.outlet : null)), h('div', { class: 'small' }, h('a', { href: docLink(o.doc) }, d ? clip(d.title || d.id, 60) : o.doc))),
                items.map((id) =>
                  o.covers.includes(id)
                    ? h('td', { class: 'mark', title: 'reports ' + itemLabel(id) }, h('span', { class: 'mark-yes' }, '●'))
                    : o.omits.includes(id)
                      ? h('td', { class: 'mark', title: 'omits ' + itemLabel(id) }, h('span', { class: 'mark-no' }, '○'))
                      : h('td', { class: 'mark' }, ''),
                ),
                h('td', null, h('div', { class: 'chips' }, o.cites.map(entityChip))),
              );
            }),
          ),
        ),
      ),
    );
    parts.push(h('div', { class: 'legend small' }, h('span', null, h('span', { class: 'mark-yes' }, '●'), ' reports'), h('span', null, h('span', { class: 'mark-no' }, '○'), ' omits what a sibling reports')));
    if (c.framing.length) {
      parts.push(h('h4', null, 'Framing'));
      parts.push(
        h(
          'div',
          null,
          c.framing.map((f) =>
            h(
              'div',
              { class: 'framing-row' },
              h('div', { class: 'ref' }, f.referent),
              h(
                'div',
                null,
                f.renderings.map((sp) => {
                  const d = docById.get(str(sp.doc));
                  return h('div', { class: 'rendering' }, outletTag(d ? d.outlet : null), h('a', { href: docLink(str(sp.doc), sp.start) }, '“' + str(sp.text) + '”'));
                }),
              ),
            ),
          ),
        ),
      );
    }
    if (c.attribution.length) {
      parts.push(h('h4', null, 'Attribution'));
      parts.push(
        h(
          'table',
          null,
          h(
            'tbody',
            null,
            c.attribution.map((a) =>
              h(
                'tr',
                null,
                h('td', null, h('span', { class: 'badge' }, a.quoteGroup), ' ', h('span', { class: 'small' }, itemLabel(a.quoteGroup).replace(/^quote: /, ''))),
                h(
                  'td',
                  null,
                  h(
                    'div',
                    { class: 'chips' },
                    a.verbs.map((v) => {
                      const d = docById.get(v.doc);
                      return h('span', { class: 'chip' }, dot(outletColor(d ? d.outlet : null)), (d ? d.outlet || d.id : v.doc) + ': ', h('b', null, v.verb));
                    }),
                  ),
                ),
              ),
            ),
          ),
        ),
      );
    }
    return h('div', null, parts);
  }

  // ------------------------------------------------------------------ documents

  function buildDocuments(root) {
    if (!documents.length) {
      root.append(card('Documents', null, placeholder('No documents in this analysis.')));
      return {};
    }
    const search = h('input', { type: 'search', placeholder: 'Filter documents…', 'aria-label': 'filter documents' });
    const list = h('div');
    const side = h('div', { class: 'card side-list' }, search, list);
    const main = h('div');
    root.append(h('div', { class: 'split' }, side, main));
    const items = new Map();
    const entry = (d) => {
      const item = h(
        'a',
        { class: 'side-item', href: docLink(d.id) },
        h('div', { class: 't' }, d.title || d.id),
        h('div', { class: 'm' }, dot(outletColor(d.outlet)), d.outlet || d.id, '·', d.dates.label),
      );
      item.dataset.key = [d.id, d.title || '', d.outlet || ''].join(' ').toLowerCase();
      items.set(d.id, item);
      return item;
    };
    for (const st of stories) {
      list.append(h('div', { class: 'side-group', title: st.title || '' }, st.id + ' · ' + clip(st.title || 'Untitled story', 34)));
      for (const d of st.documents.map((id) => docById.get(id)).sort(byDate)) list.append(entry(d));
    }
    const loose = documents.filter((d) => !d.story);
    if (loose.length) {
      list.append(h('div', { class: 'side-group' }, 'Not in a story'));
      for (const d of loose) list.append(entry(d));
    }
    search.addEventListener('input', () => {
      const q = search.value.trim().toLowerCase();
      for (const item of items.values()) item.hidden = !!q && !item.dataset.key.includes(q);
    });
    let shown = null;
    let page = null;
    return {
      show(args) {
        const d = docById.get(args[0]) || docById.get(documents[0].id);
        if (d !== shown) {
          shown = d;
          for (const [id, item] of items) item.classList.toggle('active', id === d.id);
          page = documentPage(d);
          fill(main, page.el);
          if (!args[1]) window.scrollTo(0, 0);
        }
        if (args[1] != null && args[1] !== '') page.jump(+args[1]);
      },
    };
  }

  function documentPage(d) {
    const index = utf8Index(d.text);
    const text = d.text;
    const anns = [];
    let misaligned = 0;
    const add = (span, cls, info) => {
      const start = index.unit(span.start);
      const end = index.unit(span.end);
      if (start == null || end == null || end < start || (typeof span.text === 'string' && text.slice(start, end) !== span.text)) {
        misaligned++;
        return;
      }
      if (end > start) anns.push({ start, end, cls, info });
    };
    const removedKinds = new Map();
    for (const r of d.removed) {
      const kind = str(r.kind) || 'removed';
      removedKinds.set(kind, (removedKinds.get(kind) || 0) + 1);
      add(r, 'rm', { kind });
    }
    for (const m of mentionsByDoc.get(d.id) || []) add(m.span, 'ent', { entity: m.entity });
    for (const t of timesByDoc.get(d.id) || []) add(t, 'time', { time: t });
    for (const q of quotesByDoc.get(d.id) || []) add(q, 'quote', { quote: q });
    for (const x of claimEvidenceByDoc.get(d.id) || []) add(x.position.evidence, 'claim', x);
    for (const x of eventEvidenceByDoc.get(d.id) || []) add(x.span, 'event', x);
    if (d.dates.evidence && str(d.dates.evidence.doc) === d.id) add(d.dates.evidence, 'evid', {});

    const inspector = h('div', { class: 'card inspector' });
    const body = h('div', { class: 'doc-text' });
    body.dataset.misaligned = String(misaligned);
    const segments = [];

    // Sweep the boundaries; each stretch carries the set of annotations over it.
    const cuts = [...new Set([0, text.length].concat(anns.flatMap((a) => [a.start, a.end])))].sort((a, b) => a - b);
    const byStart = anns.slice().sort((a, b) => a.start - b.start);
    let next = 0;
    let active = [];
    for (let k = 0; k + 1 < cuts.length; k++) {
      const p = cuts[k];
      const q = cuts[k + 1];
      active = active.filter((a) => a.end > p);
      while (next < byStart.length && byStart[next].start <= p) {
        if (byStart[next].end > p) active.push(byStart[next]);
        next++;
      }
      const piece = text.slice(p, q);
      if (!active.length) {
        body.append(piece);
        continue;
      }
      const here = active.slice();
      const classes = ['seg'].concat([...new Set(here.map((a) => a.cls))]);
      const style = {};
      const rm = here.find((a) => a.cls === 'rm');
      if (rm) style['--rm'] = kindColor(rm.info.kind);
      const ent = here.find((a) => a.cls === 'ent');
      if (ent) style['--ent'] = typeColor(ent.info.entity.type);
      const el = h('span', { class: classes.join(' '), style, title: here.map(annTitle).join('\n') }, piece);
      el.addEventListener('click', () => inspect(here));
      body.append(el);
      segments.push({ start: p, end: q, el });
    }

    function annTitle(a) {
      const i = a.info;
      switch (a.cls) {
        case 'rm':
          return 'removed: ' + i.kind;
        case 'ent':
          return 'entity: ' + i.entity.name + ' (' + i.entity.type + ')';
        case 'time':
          return 'time: ' + (i.time.value == null ? 'unresolved' : str(i.time.value));
        case 'quote':
          return 'quote ' + i.quote.id + ' (' + i.quote.kind + ')';
        case 'claim':
          return 'claim ' + i.claim.id + ': ' + i.position.stance;
        case 'event':
          return 'event ' + i.event.id + ': ' + i.event.type;
        default:
          return 'publication date evidence';
      }
    }

    function inspect(here) {
      fill(inspector,
        h('h3', null, 'At this passage'),
        here.map((a) => {
          const i = a.info;
          const row = (k, v, ...more) => h('div', { class: 'ann' }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, v), more);
          switch (a.cls) {
            case 'rm':
              return row('removed boilerplate', h('span', { class: 'chip', style: { '--rm': kindColor(i.kind) } }, dot(kindColor(i.kind)), i.kind), h('div', { class: 'muted small' }, kindInfo(i.kind)));
            case 'ent':
              return row(
                'entity · ' + i.entity.type,
                entityChip(i.entity.id),
                i.entity.roles.length ? h('div', { class: 'small' }, i.entity.roles.join('; ')) : null,
                i.entity.aliases.length > 1 ? h('div', { class: 'muted small' }, 'aliases: ' + i.entity.aliases.join(', ')) : null,
              );
            case 'time':
              return row(
                'time expression · ' + (str(i.time.type) || 'DATE'),
                '“' + str(i.time.text) + '” → ' + (i.time.value == null ? 'unresolved' : str(i.time.value)),
                h('div', { class: 'muted small' }, 'anchor: ' + (str(i.time.anchor) || 'none')),
              );
            case 'quote': {
              const q = i.quote;
              const g = groupOfQuote.get(q.id);
              const st = storyOfDoc(q.doc);
              return row(
                'quote · ' + q.kind,
                h('span', null, speakerOf(q), q.cue ? ' ' + q.cue : ''),
                g && st ? h('div', { class: 'small' }, h('a', { href: link('stories', st.id) }, 'compared in ' + g.id + ' (' + plural(g.quotes.length, 'rendering') + ')')) : null,
              );
            }
            case 'claim':
              return row(
                'claim · ' + i.position.stance,
                i.claim.gist,
                h('div', { class: 'small' }, 'holder: ', i.position.holder && entityById.has(i.position.holder) ? entityChip(i.position.holder) : i.position.holderText || 'unnamed'),
              );
            case 'event':
              return row('event · ' + i.event.type, i.event.when ? fmtDate(i.event.when) : 'undated', h('div', { class: 'chips' }, i.event.participants.map(entityChip)));
            default:
              return row('publication date', d.dates.label, h('div', { class: 'muted small' }, 'basis: ' + d.dates.basis));
          }
        }),
      );
    }

    function summary() {
      const count = (cls) => anns.filter((a) => a.cls === cls).length;
      const removedBytes = d.removed.reduce((n, r) => n + Math.max(0, (+r.end || 0) - (+r.start || 0)), 0);
      fill(inspector,
        h('h3', null, 'In this document'),
        h(
          'table',
          null,
          h(
            'tbody',
            null,
            [
              ['removed stretches', d.removed.length, removedBytes ? fmtInt(removedBytes) + ' of ' + fmtInt(index.nBytes) + ' bytes' : null],
              ['entity mentions', count('ent'), entities.length ? null : 'not yet analysed'],
              ['time expressions', count('time')],
              ['quotes', count('quote'), quotes.length ? null : 'not yet analysed'],
              ['claim evidence', count('claim'), claims.length ? null : 'not yet analysed'],
            ].map(([k, n, note]) => h('tr', null, h('td', null, k, note ? h('div', { class: 'muted small' }, note) : null), h('td', { class: 'num' }, fmtInt(n)))),
          ),
        ),
        h('p', { class: 'muted small' }, 'Click a highlighted passage to see what the engine found there.'),
      );
    }
    summary();

    // Toggles and legends.
    const toggle = (cls, label, key) => {
      const box = h('input', { type: 'checkbox', checked: 'checked' });
      box.addEventListener('change', () => body.classList.toggle('no-' + cls, !box.checked));
      return h('label', null, box, key, label);
    };
    const present = (cls) => anns.some((a) => a.cls === cls);
    const toggles = h(
      'div',
      { class: 'toggles' },
      toggle('rm', 'removed boilerplate (struck through)', null),
      present('ent') ? toggle('ent', 'entities', h('span', { class: 'key ent' }, 'Aa')) : null,
      present('time') ? toggle('time', 'times', h('span', { class: 'key time' }, 'Aa')) : null,
      present('quote') ? toggle('quote', 'quotes', h('span', { class: 'key quote' }, 'Aa')) : null,
      present('claim') ? toggle('claim', 'claim evidence', h('span', { class: 'key claim' }, 'Aa')) : null,
      present('evid') ? h('label', null, h('span', { class: 'key evid' }, 'Aa'), 'date evidence') : null,
    );
    const kinds = [...removedKinds].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const kindLegend = kinds.length
      ? h(
          'div',
          { class: 'kind-legend' },
          h('span', { class: 'lead' }, 'Removed:'),
          kinds.map(([kind, n]) => h('span', { class: 'chip', style: { '--rm': kindColor(kind) }, title: kindInfo(kind) }, dot(kindColor(kind)), kind, h('span', { class: 'muted' }, '×' + n))),
        )
      : h('div', { class: 'muted small' }, 'Nothing was removed from this document.');

    const dd = d.dates;
    const st = d.story ? storyById.get(d.story) : null;
    const evidenceStart = dd.evidence && str(dd.evidence.doc) === d.id ? dd.evidence.start : null;
    const published = h(
      'dl',
      { class: 'published' },
      h('dt', null, 'Published'),
      h('dd', null, h('span', { class: 'value' }, dd.value ? fmtDate(dd.value) : 'unknown')),
      dd.earliest || dd.latest ? [h('dt', null, 'Range'), h('dd', { class: 'mono' }, (dd.earliest || '?') + (dd.earliest === dd.latest ? '' : ' … ' + (dd.latest || '?')))] : null,
      h('dt', null, 'Basis'),
      h('dd', null, h('span', { class: basisClass(dd.basis) }, dd.basis), dd.estimated && dd.basis !== 'none' ? h('span', { class: 'muted small' }, ' estimated') : null),
      dd.evidence
        ? [
            h('dt', null, 'Evidence'),
            h('dd', null, evidenceStart != null ? h('a', { href: docLink(d.id, evidenceStart) }, '“' + str(dd.evidence.text) + '”') : '“' + str(dd.evidence.text) + '”'),
          ]
        : null,
      dd.note ? [h('dt', null, 'Note'), h('dd', { class: 'small' }, dd.note)] : null,
    );

    const el = h(
      'div',
      null,
      h(
        'div',
        { class: 'page-head' },
        h('h2', null, d.title || h('span', { class: 'muted' }, 'Untitled document')),
        h(
          'div',
          { class: 'meta' },
          outletTag(d.outlet),
          h('span', { class: 'mono' }, d.id),
          d.source ? h('span', { class: 'mono muted' }, d.source) : null,
          d.language ? h('span', { class: 'chip', title: 'language' }, d.language) : null,
          st ? h('span', null, 'story ', storyChip(st)) : null,
          st ? (threadsOfStory.get(st.id) || []).map(threadChip) : null,
        ),
      ),
      h(
        'div',
        { class: 'doc-layout' },
        h(
          'div',
          { class: 'card' },
          toggles,
          kindLegend,
          misaligned ? h('div', { class: 'warn-line' }, plural(misaligned, 'span') + ' did not match the text and are not drawn.') : null,
          h('hr', { class: 'sep' }),
          body,
        ),
        h('div', null, card('Date', null, published), inspector),
      ),
    );

    return {
      el,
      jump(byte) {
        const unit = index.unit(byte);
        if (unit == null) return;
        const seg = segments.find((x) => x.start <= unit && unit < x.end) || segments.find((x) => x.start >= unit);
        if (!seg) return;
        seg.el.scrollIntoView({ block: 'center' });
        seg.el.classList.remove('flash');
        void seg.el.offsetWidth;
        seg.el.classList.add('flash');
        seg.el.click();
      },
    };
  }

  // ------------------------------------------------------------------ routing

  const VIEWS = {
    overview: { build: buildOverview },
    timeline: { build: buildTimeline },
    graph: { build: buildGraph },
    stories: { build: buildStories },
    documents: { build: buildDocuments },
  };

  let currentView = null;

  function errorBox(err) {
    return h('div', { class: 'error-box' }, 'This view could not be drawn: ' + (err && err.message ? err.message : String(err)));
  }

  function route() {
    const parts = location.hash.replace(/^#/, '').split('/').map((part) => {
      try {
        return decodeURIComponent(part);
      } catch (err) {
        return part;
      }
    });
    let name = parts[0] || 'overview';
    if (!Object.prototype.hasOwnProperty.call(VIEWS, name)) name = 'overview';
    const args = parts.slice(1);
    for (const a of document.querySelectorAll('#tabs a')) a.classList.toggle('active', a.dataset.view === name);
    for (const key of Object.keys(VIEWS)) document.getElementById('view-' + key).hidden = key !== name;
    const view = VIEWS[name];
    const section = document.getElementById('view-' + name);
    hideTip();
    try {
      if (!view.built) {
        view.built = true;
        view.state = view.build(section) || {};
      }
      if (view.state.show) view.state.show(args);
    } catch (err) {
      fill(section, errorBox(err));
      console.error(err);
    }
    if (name !== currentView) {
      if (!(name === 'documents' && args[1])) window.scrollTo(0, 0);
      currentView = name;
    }
  }

  function start() {
    const dated = documents.map((d) => d.dates.point || d.dates.range).filter(Boolean);
    const lo = Math.min(...dated.map((r) => r.start));
    const hi = Math.max(...dated.map((r) => r.end));
    const summary = [plural(documents.length, 'document'), plural(outletNames.length, 'outlet'), plural(stories.length, 'story', 'stories')];
    if (dated.length) summary.push(lo === hi ? fmtDay(lo) : fmtDay(lo) + ' – ' + fmtDay(hi));
    document.getElementById('summary').textContent = summary.join(' · ');
    document.title = 'parallax · ' + summary.slice(0, 3).join(' · ');
    const empty = { graph: !entities.length };
    for (const a of document.querySelectorAll('#tabs a')) {
      if (empty[a.dataset.view]) {
        a.classList.add('empty');
        a.title = 'not yet analysed';
      }
    }
    window.addEventListener('hashchange', route);
    let timer = null;
    window.addEventListener('resize', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const view = VIEWS[currentView];
        if (view && view.state && view.state.resize) view.state.resize();
      }, 150);
    });
    route();
  }

  start();
})();
