/** A first-in, first-out queue of tasks; urgent tasks jump to the front. */
export class TaskQueue {
  constructor() {
    this.items = [];
  }

  /** Adds a task at the back. */
  enqueue(task) {
    this.items.push(task);
  }

  /** Adds a task at the front. */
  enqueueUrgent(task) {
    this.items.unshift(task);
  }

  /** Removes and returns the task at the front (undefined when empty). */
  dequeue() {
    return this.items.shift();
  }

  get size() {
    return this.items.length;
  }
}
