import { describe, expect, it, vi } from 'vitest';
import { Listeners } from './listeners.js';

describe('Listeners', () => {
  it('logs a failing listener and still tells the others', () => {
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const listeners = new Listeners<number>(logger, 'a test listener failed');
    const heard: number[] = [];
    listeners.add(() => {
      throw new Error('boom');
    });
    listeners.add((value) => heard.push(value));
    listeners.emit(7);
    expect(heard).toEqual([7]);
    expect(logger.error).toHaveBeenCalledWith('a test listener failed', { error: 'Error: boom' });
  });

  it('stops telling a listener once unsubscribed or cleared', () => {
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const listeners = new Listeners<number>(logger, 'failed');
    const heard: number[] = [];
    const unsubscribe = listeners.add((value) => heard.push(value));
    expect(listeners.isEmpty).toBe(false);
    unsubscribe();
    listeners.emit(1);
    listeners.add((value) => heard.push(value));
    listeners.clear();
    listeners.emit(2);
    expect(heard).toEqual([]);
    expect(listeners.isEmpty).toBe(true);
  });
});
