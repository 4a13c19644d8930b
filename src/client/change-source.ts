/** A version counter with listeners: large buffers notify through it, and React redraws once per frame. */
export interface ChangeSource {
  readonly version: number;
  subscribe(listener: () => void): () => void;
}

export class ChangeNotifier implements ChangeSource {
  #version = 0;
  readonly #listeners = new Set<() => void>();

  get version(): number {
    return this.#version;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  protected changed(): void {
    this.#version++;
    for (const listener of [...this.#listeners]) listener();
  }
}
