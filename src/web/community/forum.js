// Progressive enhancement: similar-topic suggestions while typing a question title.
// Without JavaScript the "Check for similar topics" button does the same with a page load.
(() => {
  const input = document.querySelector('input[data-similar]');
  if (!input) return;
  const box = document.getElementById(input.getAttribute('data-similar'));
  let timer;
  let last = '';
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const title = input.value.trim();
      if (title.length < 8 || title === last) return;
      last = title;
      const res = await fetch(`/community/similar?title=${encodeURIComponent(title)}`, {
        headers: { accept: 'application/json' },
      });
      if (!res.ok) return;
      const { topics, articles = [] } = await res.json();
      const list = document.createElement('ul');
      for (const t of [...topics, ...articles.map((a) => ({ ...a, title: `${a.title} (knowledge base)` }))]) {
        const li = document.createElement('li');
        const a = document.createElement('a');
        a.href = t.url;
        a.textContent = t.title + (t.solved ? ' (solved)' : '');
        li.append(a);
        list.append(li);
      }
      const heading = box.querySelector('h2');
      box.replaceChildren(heading);
      if (list.children.length) box.append(list);
      else {
        const p = document.createElement('p');
        p.textContent = 'No similar topics found.';
        box.append(p);
      }
    }, 350);
  });
})();
