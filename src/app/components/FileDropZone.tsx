import { useState, type DragEvent, type ReactNode } from 'react';

interface FileDropZoneProps {
  disabled: boolean;
  onFiles: (files: File[]) => void;
  /** The `accept` list of the file picker. */
  accept: string;
  /** Test id of the zone; the file input gets `inputTestId`. */
  testId: string;
  inputTestId: string;
  children: ReactNode;
}

/**
 * A click-or-drop area for several files; the picker resets so the same files can be picked again.
 * The file input covers the zone: Tab reaches it and Enter or Space opens the picker, and the
 * "Choose files" mark shows keyboard users that the zone is a button.
 */
export function FileDropZone({ disabled, onFiles, accept, testId, inputTestId, children }: FileDropZoneProps) {
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (!disabled) onFiles(Array.from(e.dataTransfer.files));
  };
  return (
    <label
      className={`drop-zone${over ? ' over' : ''}${disabled ? ' disabled' : ''}`}
      data-testid={testId}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <input
        data-testid={inputTestId}
        type="file"
        multiple
        disabled={disabled}
        accept={accept}
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
      <span>{children}</span>
      <span className="drop-zone-choose">Choose files…</span>
    </label>
  );
}
