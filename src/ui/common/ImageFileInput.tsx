/**
 * A file input for one image: hands the chosen file on and clears itself, so choosing the same file again
 * fires again. The label is the caller's (`<label htmlFor={id}>`).
 */
export function ImageFileInput({
  id,
  disabled,
  onFile,
  testId,
}: {
  id: string;
  disabled: boolean;
  onFile: (file: File) => void;
  testId?: string;
}) {
  return (
    <input
      id={id}
      type="file"
      accept="image/*"
      data-testid={testId}
      disabled={disabled}
      onChange={(event) => {
        const file = event.currentTarget.files?.[0];
        if (file) onFile(file);
        event.currentTarget.value = '';
      }}
    />
  );
}
