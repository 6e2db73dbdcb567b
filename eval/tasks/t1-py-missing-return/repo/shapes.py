"""Areas and perimeters of simple shapes."""
import math


def rectangle_area(width, height):
    return width * height


def circle_area(radius):
    area = math.pi * radius ** 2


def circle_perimeter(radius):
    return 2 * math.pi * radius


def total_area(shapes):
    """Sum of areas; `shapes` holds ("rect", w, h) and ("circle", r) tuples."""
    total = 0
    for kind, *size in shapes:
        total += rectangle_area(*size) if kind == "rect" else circle_area(*size)
    return total
