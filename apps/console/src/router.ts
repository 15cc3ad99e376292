import { useEffect, useState } from 'preact/hooks';

// A router of a few lines: the console's pages are paths (the server answers index.html for each of them).

export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return path;
}

/** A plain link (keyboard and middle-click work) that changes page without a reload. */
export function onLinkClick(event: MouseEvent): void {
  const target = event.currentTarget as HTMLAnchorElement;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || target.origin !== location.origin) return;
  event.preventDefault();
  navigate(target.pathname + target.search);
}
