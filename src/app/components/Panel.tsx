import type { ReactNode } from 'react';

export function Panel(props: { title: string; className?: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <section className={`panel ${props.className ?? ''}`} aria-label={props.title}>
      <div className="panel-head">
        <h2>{props.title}</h2>
        {props.aside}
      </div>
      {props.children}
    </section>
  );
}
